// After a crash or an ambiguous failure mid-send, a delivery is "in doubt": Slack may have posted
// the message. Every message carries its delivery id in Slack message metadata (poster.ts), so the
// channel's recent history (conversations.history) says for certain whether it went out — and
// resending is only done when it did not.
import type { webApi } from '@slack/bolt';
import { SendFailed } from '../errors.js';
import type { HistoryChecker, Reconciliation } from '../ports.js';
import { classifySlackError } from './errors.js';
import { DELIVERY_EVENT_TYPE } from './poster.js';

/** History pages read before concluding the message is not there (200 messages each). */
const MAX_PAGES = 10;

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export class SlackHistory implements HistoryChecker {
  constructor(private readonly client: webApi.WebClient) {}

  /**
   * `unknown` when the bot may not read that history (missing scope, a public channel it posts to
   * without being a member). Transient Slack errors are thrown, for the caller to retry later.
   */
  async findDelivered(channel: string, deliveryId: string, sinceMs: number): Promise<Reconciliation> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let result;
      try {
        result = await this.client.conversations.history({
          channel,
          oldest: (Math.max(0, sinceMs) / 1000).toFixed(6),
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
      } catch (error) {
        const failure = classifySlackError(error);
        if (failure.type === 'permanent') return { found: 'unknown', error: failure.error };
        throw new SendFailed(failure, { cause: error });
      }
      for (const message of (result.messages ?? []) as HistoryMessage[]) {
        if (message.metadata?.event_type === DELIVERY_EVENT_TYPE && message.metadata.event_payload?.['delivery_id'] === deliveryId && message.ts) {
          return { found: true, ts: message.ts };
        }
      }
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return { found: false };
    }
    return { found: false };
  }
}
