// Who may announce a change to a feature group: the owners named by its owner tags and the
// lineage admins (LINEAGE_ADMINS). Everyone else is refused with the list of who can.
import type { FeatureGroupResource, LineageSource } from '../lineage/source.js';
import { NotAllowedToAnnounce } from './errors.js';
import { ownerValues, type OwnerResolver, type OwnerTagKeys } from './owners.js';

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
    if ((await this.deps.owners.userIds(emails)).includes(userId)) return;
    throw new NotAllowedToAnnounce(featureGroup.name, owners, this.deps.admins);
  }
}
