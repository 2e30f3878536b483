// Sends notices through Slack's Web API: DMs opened with conversations.open, messages posted with
// chat.postMessage (tagged with their delivery in message metadata, for history.ts) and summaries
// updated with chat.update. Every failure is thrown as SendFailed, classified by errors.ts.
import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { NoticePoster } from '../ports.js';
import { sending } from './errors.js';

/** A message as blocks/notices renders it for Slack. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The metadata event type that marks the bot's notice messages. */
export const DELIVERY_EVENT_TYPE = 'lineage_notice_delivery';

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export class SlackNoticePoster implements NoticePoster<SlackMessage> {
  /**
   * Give the client `retryConfig: { retries: 0 }` and `rejectRateLimitedCalls: true`: retries and
   * rate limits are the delivery worker's job, kept durable in the store rather than in a sleeping
   * request.
   */
  constructor(private readonly client: webApi.WebClient) {}

  /** A user ID gets a DM (conversations.open, idempotent); anything else is a channel already. */
  conversationFor(target: string): Promise<string> {
    if (!USER_ID.test(target)) return Promise.resolve(target);
    return sending(async () => {
      const opened = await this.client.conversations.open({ users: target });
      const id = opened.channel?.id;
      if (!id) throw new Error('conversations.open returned no channel');
      return id;
    });
  }

  post(channel: string, message: SlackMessage, tag: { deliveryId: string; noticeId: string }): Promise<{ channel: string; ts: string }> {
    return sending(async () => {
      const posted = await this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { delivery_id: tag.deliveryId, notice_id: tag.noticeId } },
        unfurl_links: false,
        unfurl_media: false,
      });
      return { channel: posted.channel ?? channel, ts: String(posted.ts) };
    });
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await sending(() => this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }));
  }
}
