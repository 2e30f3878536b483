// The notices' Slack side: the ports of src/notices/ports.ts over Slack's Web API. The domain never
// sees a Slack client; the composition root builds these from one and hands them over.
import type { webApi } from '@slack/bolt';
import { SlackDirectory, type DirectoryOptions } from './directory.js';
import { SlackHistory } from './history.js';
import { SlackNoticePoster } from './poster.js';

/**
 * The poster, the history checker and the directory, over one client. Build it with
 * `retryConfig: { retries: 0 }` and `rejectRateLimitedCalls: true`: the outbox retries durably
 * and honours Retry-After itself, and the directory retries look-ups with its own bounds.
 */
export function slackNoticePorts(client: webApi.WebClient, options: DirectoryOptions): { poster: SlackNoticePoster; history: SlackHistory; directory: SlackDirectory } {
  return { poster: new SlackNoticePoster(client), history: new SlackHistory(client), directory: new SlackDirectory(client, options) };
}

export { classifySlackError, slackErrorCode } from './errors.js';
export { SlackDirectory, type DirectoryOptions } from './directory.js';
export { SlackHistory } from './history.js';
export { DELIVERY_EVENT_TYPE, SlackNoticePoster, type SlackMessage } from './poster.js';
