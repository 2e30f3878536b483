import type { AllMiddlewareArgs, BlockAction, Logger, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildNoticeMessage, decodeNoticeButton } from '../../blocks/notices/index.js';
import { DirectoryUnavailable, NotAllowedToAcknowledge, NoticeNotFound, NoticeNotOpen } from '../../src/notices/errors.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText, type ErrorText } from '../errors.js';
import { NOTICE_MESSAGES } from '../messages.js';
import { notedRespond, respondError } from '../reply.js';

/**
 * Acknowledge on a notice or a reminder: the first click by someone allowed to — the owner, in a
 * DM; a member of the team channel, in the team's post — records it (and the summary catches up,
 * naming who did it), and the message turns into its acknowledged form. A second click changes
 * nothing and shows who acknowledged. A click that may not acknowledge — a forged or mismatched
 * value, another user, a non-member — records nothing, is logged, and the clicker is told why.
 */
export function acknowledgeAction(deps: NoticeListenerDeps) {
  return async ({ ack, action, body, respond: rawRespond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> => {
    const respond = notedRespond(rawRespond, deps.sourceNote);
    await ack();
    const container = body.container as { channel_id?: string } | undefined;
    const channelId = body.channel?.id ?? container?.channel_id;
    const where = `user ${body.user.id}, conversation ${channelId ?? 'none'}`;
    const value = action.type === 'button' ? decodeNoticeButton(action.value) : undefined;
    if (!value) {
      const length = action.type === 'button' ? (action.value?.length ?? 0) : 0;
      logger.warn(`Refused an Acknowledge click whose value does not parse (${action.type}, ${length} characters; ${where})`);
      await respondError(respond, { message: NOTICE_MESSAGES.acknowledgeNotUnderstood });
      return;
    }
    try {
      const click = { noticeId: value.n, recipientKey: value.r, userId: body.user.id, ...(channelId ? { channelId } : {}) };
      const { notice, recipient, ack: acknowledgement } = await deps.notices.acknowledge(click);
      const message = buildNoticeMessage(notice, recipient, acknowledgement);
      await respond({ replace_original: true, text: message.text, blocks: message.blocks });
    } catch (error) {
      await respondError(respond, refusalText(error, `notice ${value.n}, recipient ${value.r}, ${where}`, logger));
    }
  };
}

/** What the clicker is told when nothing was recorded; each refusal is logged with the click. */
function refusalText(error: unknown, click: string, logger: Logger): ErrorText {
  if (error instanceof NotAllowedToAcknowledge) {
    logger.warn(`Refused an Acknowledge click: ${error.reason} (${click})`);
    const refused = NOTICE_MESSAGES.acknowledgeRefused;
    switch (error.reason) {
      case 'not_the_owner':
        return { message: refused.not_the_owner(error.recipient?.targetId ?? '') };
      case 'not_in_channel':
        return { message: refused.not_in_channel(error.recipient?.targetId ?? '') };
      default:
        return { message: refused[error.reason] };
    }
  }
  if (error instanceof NoticeNotFound) {
    logger.warn(`Refused an Acknowledge click on a notice that does not exist (${click})`);
    return { message: NOTICE_MESSAGES.noticeNotFound };
  }
  if (error instanceof NoticeNotOpen) {
    logger.info(`Refused an Acknowledge click on a cancelled notice (${click})`);
    return { message: NOTICE_MESSAGES.acknowledgeCancelled };
  }
  if (error instanceof DirectoryUnavailable) {
    logger.warn(`Could not check an Acknowledge click: Slack answered ${error.slackError} (${click})`);
    return { message: NOTICE_MESSAGES.acknowledgeCheckFailed };
  }
  return noticeErrorText(error, logger);
}
