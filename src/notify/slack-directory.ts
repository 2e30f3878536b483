// Who and where owners are in Slack: emails to users (users.lookupByEmail), user IDs checked
// (users.info), channel names and IDs to channels (conversations.list / conversations.info).
// Results are cached — a notice to 500 owners must not look the same person up 500 times, and
// lookups are rate limited — including "not found", which is an answer too. Rate limits and
// Slack outages are retried a few times, then reported as DirectoryUnavailable.
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';
import { DirectoryUnavailable } from './errors.js';
import { classifySlackError } from './slack-errors.js';
import type { UnreachableReason } from '../store/types.js';

export type UserLookup = { found: true; userId: string; label: string } | { found: false; reason: UnreachableReason };
export type ChannelLookup = { found: true; channelId: string; label: string } | { found: false; reason: UnreachableReason };

type Lookup = UserLookup | ChannelLookup | ChannelIndex;
interface ChannelIndex {
  byName: Map<string, { id: string; name: string; archived: boolean }>;
}

export interface DirectoryOptions {
  clock: Clock;
  /** How long an answer is reused. Default 10 minutes. */
  ttlMs?: number;
  maxEntries?: number;
  /** Attempts per lookup when Slack rate limits or fails. Default 4. */
  attempts?: number;
}

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

export class SlackDirectory {
  private readonly cache: LRUCache<string, { value: Lookup }, () => Promise<Lookup>>;
  private readonly attempts: number;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: DirectoryOptions,
  ) {
    this.attempts = options.attempts ?? 4;
    this.cache = new LRUCache({
      max: options.maxEntries ?? 10_000,
      ttl: options.ttlMs ?? 10 * 60 * 1000,
      perf: { now: () => options.clock.now() },
      // Concurrent lookups of one key share one call (lru-cache coalesces in-flight fetches).
      fetchMethod: async (_key, _stale, { context }) => ({ value: await context() }),
    });
  }

  /** A person by email (users.lookupByEmail; needs users:read.email). */
  userByEmail(email: string): Promise<UserLookup> {
    return this.cached(`email:${email.toLowerCase()}`, async () => {
      const result = await this.call(() => this.client.users.lookupByEmail({ email }), ['users_not_found', 'user_not_found']);
      return result ? userLookup(result.user as SlackUser | undefined) : { found: false, reason: 'user_not_found' };
    }) as Promise<UserLookup>;
  }

  /** A person by Slack user ID (users.info), to check they exist and are active, and to name them. */
  userById(userId: string): Promise<UserLookup> {
    return this.cached(`user:${userId}`, async () => {
      const result = await this.call(() => this.client.users.info({ user: userId }), ['user_not_found', 'users_not_found']);
      return result ? userLookup(result.user as SlackUser | undefined) : { found: false, reason: 'user_not_found' };
    }) as Promise<UserLookup>;
  }

  /** A channel by "#name", "name" or ID. Archived channels are found but unreachable. */
  async channel(ref: string): Promise<ChannelLookup> {
    const value = ref.trim().replace(/^#/, '');
    if (/^[CG][A-Z0-9]{2,}$/.test(value)) {
      return this.cached(`channel:${value}`, async () => {
        const result = await this.call(() => this.client.conversations.info({ channel: value }), ['channel_not_found']);
        const channel = result?.channel as { id?: string; name?: string; is_archived?: boolean } | undefined;
        if (!channel?.id) return { found: false, reason: 'channel_not_found' };
        if (channel.is_archived) return { found: false, reason: 'channel_archived' };
        return { found: true, channelId: channel.id, label: `#${channel.name ?? channel.id}` };
      }) as Promise<ChannelLookup>;
    }
    const index = (await this.cached('channels', () => this.listChannels())) as ChannelIndex;
    const channel = index.byName.get(value.toLowerCase());
    if (!channel) return { found: false, reason: 'channel_not_found' };
    if (channel.archived) return { found: false, reason: 'channel_archived' };
    return { found: true, channelId: channel.id, label: `#${channel.name}` };
  }

  /** Every public and private channel the bot can see, by name (conversations.list pages). */
  private async listChannels(): Promise<ChannelIndex> {
    const byName: ChannelIndex['byName'] = new Map();
    let cursor: string | undefined;
    do {
      const page = await this.call(
        () => this.client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: false, limit: 1000, ...(cursor ? { cursor } : {}) }),
        [],
      );
      for (const channel of (page?.channels ?? []) as { id?: string; name?: string; is_archived?: boolean }[]) {
        if (channel.id && channel.name) byName.set(channel.name.toLowerCase(), { id: channel.id, name: channel.name, archived: Boolean(channel.is_archived) });
      }
      cursor = page?.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return { byName };
  }

  private async cached(key: string, load: () => Promise<Lookup>): Promise<Lookup> {
    const boxed = await this.cache.fetch(key, { context: load });
    // fetch resolves undefined only for an aborted load, which nothing here aborts.
    return boxed ? boxed.value : load();
  }

  /**
   * One Web API call with retries of rate limits and Slack-side failures. Returns undefined for
   * the error codes that mean "no such thing"; anything else permanent is DirectoryUnavailable.
   */
  private async call<T>(request: () => Promise<T>, notFound: readonly string[]): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.type === 'permanent' && notFound.includes(failure.error)) return undefined;
        if (failure.type === 'permanent' || attempt >= this.attempts) throw new DirectoryUnavailable(failure.error, { cause: error });
        await this.options.clock.sleep(failure.type === 'rate_limited' ? failure.retryAfterMs : 500 * 2 ** (attempt - 1));
      }
    }
  }
}

function userLookup(user: SlackUser | undefined): UserLookup {
  if (!user?.id) return { found: false, reason: 'user_not_found' };
  if (user.deleted) return { found: false, reason: 'user_deactivated' };
  if (user.is_bot) return { found: false, reason: 'user_is_bot' };
  const label = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id;
  return { found: true, userId: user.id, label };
}
