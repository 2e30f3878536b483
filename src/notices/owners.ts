// Owners of a model, endpoint or feature group, from its tags: owner keys hold emails or Slack
// user IDs, channel keys hold a team channel. A resource with a team channel is announced there
// (one post per team); otherwise each owner gets a DM. Values that cannot be resolved — no such
// user or channel, or a look-up Slack refused or kept failing — are returned as unreachable, with
// the reason, so that nobody is dropped silently and one bad value never blocks the others.
import { DirectoryUnavailable } from './errors.js';
import type { ChannelLookup, Directory, UserLookup } from './ports.js';
import type { UnreachableReason } from './model.js';

export interface OwnerTagKeys {
  ownerTagKeys: readonly string[];
  channelTagKeys: readonly string[];
}

export interface OwnerValues {
  owners: string[];
  channels: string[];
}

/** Somebody (or a channel) a notice can be delivered to. */
export interface Addressee {
  key: string;
  type: 'user' | 'channel';
  targetId: string;
  label: string;
  /** The tag value that led here. */
  via: string;
}

export interface ResourceOwners extends OwnerValues {
  addressees: Addressee[];
  unreachable: { value: string; reason: UnreachableReason; detail?: string }[];
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const MENTION = /^<@([UW][A-Z0-9]{2,})(\|[^>]*)?>$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The owner and channel values in a resource's tags; tag keys match case-insensitively. */
export function ownerValues(tags: Readonly<Record<string, string>>, keys: OwnerTagKeys): OwnerValues {
  const valuesOf = (wanted: readonly string[]) => {
    const lower = wanted.map((key) => key.toLowerCase());
    const values = Object.entries(tags)
      .filter(([key]) => lower.includes(key.toLowerCase()))
      .flatMap(([, value]) => value.split(/[\s,;]+/))
      .map((value) => value.trim())
      .filter((value) => value !== '');
    return [...new Set(values)];
  };
  return { owners: valuesOf(keys.ownerTagKeys), channels: valuesOf(keys.channelTagKeys) };
}

export class OwnerResolver {
  constructor(
    private readonly directory: Pick<Directory, 'userById' | 'userByEmail' | 'channel'>,
    private readonly keys: OwnerTagKeys,
  ) {}

  /** A person named by an owner tag value: an email, a user ID or a <@mention>. */
  async resolveUser(value: string): Promise<UserLookup> {
    const mention = MENTION.exec(value);
    const id = mention ? (mention[1] as string) : USER_ID.test(value) ? value : undefined;
    if (id) return this.directory.userById(id);
    if (EMAIL.test(value)) return this.directory.userByEmail(value);
    return { found: false, reason: 'not_an_owner_value' };
  }

  /**
   * Who hears about a resource: its team channels when one resolves, else its owners. Channels
   * that fail are listed unreachable even when an owner is reached instead; owners are only
   * looked up when no channel was found (a team channel is the team's address).
   */
  async resolve(tags: Readonly<Record<string, string>>): Promise<ResourceOwners> {
    const values = ownerValues(tags, this.keys);
    const unreachable: ResourceOwners['unreachable'] = [];
    const addressees: Addressee[] = [];
    if (values.owners.length === 0 && values.channels.length === 0) {
      return { ...values, addressees, unreachable: [{ value: '', reason: 'no_owner_tag' }] };
    }
    for (const channel of values.channels) {
      const found = await orUnreachable(() => this.directory.channel(channel));
      if (found.found) addressees.push({ key: `channel:${found.channelId}`, type: 'channel', targetId: found.channelId, label: found.label, via: channel });
      else unreachable.push({ value: channel, reason: found.reason, ...(found.detail ? { detail: found.detail } : {}) });
    }
    if (addressees.length === 0) {
      for (const owner of values.owners) {
        const found = await orUnreachable(() => this.resolveUser(owner));
        if (found.found) addressees.push({ key: `user:${found.userId}`, type: 'user', targetId: found.userId, label: found.label, via: owner });
        else unreachable.push({ value: owner, reason: found.reason, ...(found.detail ? { detail: found.detail } : {}) });
      }
    }
    return { ...values, addressees: dedupe(addressees), unreachable };
  }

  /**
   * Whether one of these owner tag values names `userId` (for who may announce). A look-up Slack
   * did not answer is no "no": when no other value matched, its DirectoryUnavailable is thrown.
   */
  async namesUser(values: readonly string[], userId: string): Promise<boolean> {
    let failure: DirectoryUnavailable | undefined;
    for (const value of values) {
      try {
        const found = await this.resolveUser(value);
        if (found.found && found.userId === userId) return true;
      } catch (error) {
        if (!(error instanceof DirectoryUnavailable)) throw error;
        failure ??= error;
      }
    }
    if (failure) throw failure;
    return false;
  }
}

/** A look-up Slack did not answer, as the reason this one value is unreachable. */
async function orUnreachable<T extends UserLookup | ChannelLookup>(lookup: () => Promise<T>): Promise<T | Extract<UserLookup, { found: false }>> {
  try {
    return await lookup();
  } catch (error) {
    if (!(error instanceof DirectoryUnavailable)) throw error;
    if (error.transient) return { found: false, reason: 'lookup_failed', detail: error.slackError };
    if (error.slackError === 'missing_scope' || error.slackError === 'no_permission') {
      return { found: false, reason: 'missing_scope', ...(error.needed ? { detail: error.needed } : {}) };
    }
    return { found: false, reason: 'lookup_refused', detail: error.slackError };
  }
}

/** One addressee per Slack user or channel (an email and an ID may name the same person). */
function dedupe(addressees: readonly Addressee[]): Addressee[] {
  return [...new Map(addressees.map((a) => [a.key, a])).values()];
}
