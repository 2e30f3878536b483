// Who may announce a change to a feature group: the owners named by its owner tags and the
// lineage admins (LINEAGE_ADMINS). Everyone else is refused with the list of who can.
// Who may acknowledge a notice for a recipient: in a DM, that owner; in a team channel, a member
// of the channel, for the team.
import type { FeatureGroupResource, LineageSource } from '../lineage/lineage-source.js';
import type { Recipient } from './model.js';
import { NotAllowedToAcknowledge, NotAllowedToAnnounce } from './errors.js';
import { ownerValues, type OwnerResolver, type OwnerTagKeys } from './owners.js';
import type { Directory } from './ports.js';

export class AnnounceAuthorizer {
  constructor(
    private readonly deps: { source: LineageSource; owners: OwnerResolver; admins: readonly string[]; tagKeys: OwnerTagKeys },
  ) {}

  /** Resolves when `userId` may announce for the group; throws NotAllowedToAnnounce otherwise. */
  async authorize(featureGroup: FeatureGroupResource, userId: string): Promise<void> {
    if (this.deps.admins.includes(userId)) return;
    const { owners } = ownerValues(await this.deps.source.listTags(featureGroup.arn), this.deps.tagKeys);
    // A tag holding the user's own ID (or a mention of it) needs no Slack call.
    if (owners.some((value) => value === userId || value.startsWith(`<@${userId}`))) return;
    const emails = owners.filter((value) => value.includes('@') && !value.startsWith('<@'));
    if (await this.deps.owners.namesUser(emails, userId)) return;
    throw new NotAllowedToAnnounce(featureGroup.name, owners, this.deps.admins);
  }
}

/** A click on Acknowledge: who clicked, in which conversation, on which notice's button for whom. */
export interface AcknowledgeClick {
  noticeId: string;
  recipientKey: string;
  userId: string;
  /** The conversation the clicked message is in (C…, G…, D…), as Slack's payload says. */
  channelId?: string;
}

export class AcknowledgeAuthorizer {
  constructor(private readonly deps: { directory: Pick<Directory, 'isMember'> }) {}

  /**
   * Resolves when the click may acknowledge for `recipient`; throws NotAllowedToAcknowledge
   * otherwise. `conversations` are where this recipient's notice and reminders were delivered: a
   * button only counts in one of them (a value copied into another message, or forged, does not).
   */
  async authorize(recipient: Recipient, click: AcknowledgeClick, conversations: readonly string[]): Promise<void> {
    const refuse = (reason: NotAllowedToAcknowledge['reason']) => new NotAllowedToAcknowledge(reason, click, { type: recipient.type, targetId: recipient.targetId });
    if (!click.channelId || !conversations.includes(click.channelId)) throw refuse('wrong_conversation');
    if (recipient.type === 'user') {
      if (click.userId !== recipient.targetId) throw refuse('not_the_owner');
      return;
    }
    if (!(await this.deps.directory.isMember(recipient.targetId, click.userId))) throw refuse('not_in_channel');
  }
}
