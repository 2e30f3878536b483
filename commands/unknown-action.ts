import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildError } from '../blocks/index.js';
import { MESSAGES } from './messages.js';
import type { HandledActions } from './handled-actions.js';

/**
 * A click on an element no listener answers — a button of an older version of the bot, or one
 * this one no longer has — including ids under our own prefixes (`notice_…`, `lineage_next…`):
 * acknowledged so Slack shows no error, logged, and explained to the clicker alone.
 */
export async function unknownAction({ action, ack, body, respond, logger }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>): Promise<void> {
  await ack();
  logger.warn(`Answered an action nobody handles as stale (${action.action_id})`);
  // Buttons in App Home or a modal have no response URL: nobody to tell but the log.
  if (!body.response_url) return;
  const message = buildError(MESSAGES.staleButton);
  await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
}

/** Registers the fallback; call it after every other action listener has been registered through `handled`. */
export function registerUnknownAction(app: App, handled: HandledActions): void {
  app.action<BlockAction>(
    { type: 'block_actions' },
    async ({ action, next }) => {
      if (!handled.has(action.action_id)) await next();
    },
    unknownAction,
  );
}
