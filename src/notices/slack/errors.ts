// What a failed Slack Web API call means for a delivery (the domain's SendFailure): try again later
// (and when), give up for good, or try again but first check whether the message went out after all.
import { webApi } from '@slack/bolt';
import { SendFailed } from '../errors.js';
import type { SendFailure } from '../ports.js';

/** Slack errors that mean this recipient can never get the message. */
const PERMANENT = new Set([
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'user_not_visible',
  'cannot_dm_bot',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'too_many_attachments',
  'no_text',
  'team_access_not_granted',
  'method_deprecated',
]);

/** Slack saying it failed on its side: the message may or may not have been posted. */
const SERVER_SIDE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Errors of the bot's own set-up (token revoked, scope missing). Retried with backoff rather than
 * failed, so that fixing the installation lets the fan-out finish instead of losing it.
 */
const CONFIGURATION = new Set(['not_authed', 'invalid_auth', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'no_permission']);

export function classifySlackError(error: unknown): SendFailure {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { type: 'rate_limited', retryAfterMs: Math.ceil(Math.max(1, error.retryAfter) * 1000), error: 'ratelimited' };
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error);
    if (code === 'ratelimited') {
      const retryAfter = Number(error.data.response_metadata?.retryAfter ?? 1);
      // Whole milliseconds (it becomes a stored time); a Retry-After may be fractional.
      return { type: 'rate_limited', retryAfterMs: Math.ceil(Math.max(1, retryAfter) * 1000), error: code };
    }
    if (PERMANENT.has(code)) return { type: 'permanent', error: code };
    if (SERVER_SIDE.has(code)) return { type: 'transient', inDoubt: true, error: code };
    if (CONFIGURATION.has(code)) return { type: 'transient', inDoubt: false, error: code };
    // An error this code does not know: better to stop than to hammer Slack with it.
    return { type: 'permanent', error: code };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    if (error.statusCode >= 500) return { type: 'transient', inDoubt: true, error: `http_${error.statusCode}` };
    return { type: 'permanent', error: `http_${error.statusCode}` };
  }
  if (error instanceof webApi.WebAPIRequestError) {
    // Connection reset or timeout: the request may have reached Slack.
    return { type: 'transient', inDoubt: true, error: 'request_failed' };
  }
  return { type: 'transient', inDoubt: true, error: error instanceof Error ? error.name : 'unknown_error' };
}

/** The Slack error code of a failed call, for messages and logs (never a token or body). */
export function slackErrorCode(error: unknown): string {
  return classifySlackError(error).error;
}

/** Runs one Web API call, turning its failure into SendFailed (what it means for the delivery). */
export async function sending<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SendFailed(classifySlackError(error), { cause: error });
  }
}
