import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';

/** Action ids this app's own listeners answer; anything else is acknowledged and ignored. */
export const KNOWN_ACTION_PREFIXES = ['lineage_next', 'notice_'] as const;
export const UNKNOWN_ACTION_PATTERN = new RegExp(`^(?!${KNOWN_ACTION_PREFIXES.join('|')})`);

/**
 * A click on an element no listener knows (an old message's button, another app version):
 * acknowledged so Slack shows no error, and logged.
 */
export async function unknownAction({ action, ack, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> {
  await ack();
  logger.warn(`Ignoring an action nobody handles (${action.action_id})`);
}
