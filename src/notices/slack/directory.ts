// Who and where owners are in Slack: emails to users (users.lookupByEmail), user IDs checked
// (users.info), channel names and IDs to channels (conversations.list / conversations.info), and
// whether someone is in a channel (conversations.members). Results are cached — a notice to 500
// owners must not look the same person up 500 times, and lookups are rate limited — including
// "not found", which is an answer too. Only what is really transient (429, 5xx, timeouts and
// dropped connections) is retried, with backoff and a bounded number of attempts; what still
// fails, and what Slack refuses (a missing scope), is reported as DirectoryUnavailable for the
// caller to decide about one owner — never for the whole announcement.
import { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { DirectoryUnavailable } from '../errors.js';
import type { ChannelLookup, Directory, UserLookup } from '../ports.js';
import { classifySlackError } from './errors.js';

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
  /**
   * When this many lookups in a row failed through all their attempts (none succeeded since),
   * Slack is taken to be down and lookups stop retrying, for `outageMs` after the last such
   * failure: a notice to 500 owners then waits for one round of backoff, not 500. One owner whose
   * look-up keeps failing among many that work trips nothing. Defaults 3 and 30 s.
   */
  outageAfter?: number;
  outageMs?: number;
}

/** Slack's refusals that mean the bot's installation lacks a permission; `needed` names it. */
const MISSING_PERMISSION = new Set(['missing_scope', 'no_permission']);

interface SlackUser {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
}

export class SlackDirectory implements Directory {
  private readonly cache: LRUCache<string, { value: Lookup }, () => Promise<Lookup>>;
  private readonly attempts: number;
  /** Lookups in a row that failed through all their attempts, and when the last one did (see DirectoryOptions.outageAfter). */
  private exhausted = { count: 0, at: 0 };

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

  /**
   * Whether `userId` is a member of the channel (conversations.members, paged; channels:read and
   * groups:read). Not cached: it decides who may act for a team, and membership changes.
   */
  async isMember(channelId: string, userId: string): Promise<boolean> {
    let cursor: string | undefined;
    do {
      const page = await this.call(() => this.client.conversations.members({ channel: channelId, limit: 1000, ...(cursor ? { cursor } : {}) }), ['channel_not_found']);
      if (!page) return false;
      if ((page.members ?? []).includes(userId)) return true;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return false;
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

  /** Whether recent lookups say Slack is down (see DirectoryOptions.outageAfter). */
  private slackDown(): boolean {
    const { count, at } = this.exhausted;
    return count >= (this.options.outageAfter ?? 3) && this.options.clock.now() - at < (this.options.outageMs ?? 30_000);
  }

  /**
   * One Web API call, retrying what is transient. Returns undefined for the error codes that mean
   * "no such thing"; throws DirectoryUnavailable for the rest.
   */
  private async call<T>(request: () => Promise<T>, notFound: readonly string[]): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await request();
        this.exhausted = { count: 0, at: 0 };
        return result;
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.type === 'permanent' && notFound.includes(failure.error)) return undefined;
        // 429, 5xx, Slack's own internal errors, timeouts and dropped connections. A refused token
        // (transient to the outbox, which waits for someone to fix it) is no reason to wait here.
        const transient = failure.type === 'rate_limited' || (failure.type === 'transient' && failure.inDoubt);
        if (!transient) throw new DirectoryUnavailable(failure.error, { transient: false, ...neededScope(error), cause: error });
        // Checked before every retry: look-ups already waiting stop too once Slack is down.
        if (attempt >= this.attempts || this.slackDown()) {
          this.exhausted = { count: this.exhausted.count + 1, at: this.options.clock.now() };
          throw new DirectoryUnavailable(failure.error, { transient: true, cause: error });
        }
        await this.options.clock.sleep(failure.type === 'rate_limited' ? failure.retryAfterMs : 500 * 2 ** (attempt - 1));
      }
    }
  }
}

/** The scope Slack says a refused call needed (`needed` of missing_scope), if it says. */
function neededScope(error: unknown): { needed?: string } {
  if (!(error instanceof webApi.WebAPIPlatformError) || !MISSING_PERMISSION.has(String(error.data.error))) return {};
  const needed = (error.data as { needed?: unknown }).needed;
  return typeof needed === 'string' && needed !== '' ? { needed } : {};
}

function userLookup(user: SlackUser | undefined): UserLookup {
  if (!user?.id) return { found: false, reason: 'user_not_found' };
  if (user.deleted) return { found: false, reason: 'user_deactivated' };
  if (user.is_bot) return { found: false, reason: 'user_is_bot' };
  const label = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id;
  return { found: true, userId: user.id, label };
}
