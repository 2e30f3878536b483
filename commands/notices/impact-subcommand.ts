import type { AllMiddlewareArgs, Logger, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildError, type Message } from '../../blocks/index.js';
import { buildImpact } from '../../blocks/notices/index.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { notedRespond } from '../reply.js';
import { COMMAND } from '../subcommands.js';
import { featureGroupArgument } from './command-input.js';

/** Bolt's slash-command arguments, the notice dependencies, and the text after the subcommand word. */
export type NoticeSubcommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs & { deps: NoticeListenerDeps; input: string };

/**
 * Who a change to the feature group `input` names would affect, notifying nobody (or why that
 * cannot be said): the answer to `/lineage impact` and to "@Lineage impact".
 */
export async function impactMessage(deps: NoticeListenerDeps, input: string, logger: Logger): Promise<{ message: Message; failed: boolean }> {
  const argument = featureGroupArgument('impact', input);
  if ('problem' in argument) return { message: buildError(argument.problem), failed: true };
  try {
    return { message: buildImpact(await deps.notices.impact(argument.featureGroup), COMMAND), failed: false };
  } catch (error) {
    const text = noticeErrorText(error, logger);
    return { message: buildError(text.message, text.hint), failed: true };
  }
}

/** `/lineage impact <feature-group>`: the impact, only to the asker. Call it after ack(). */
export async function impactSubcommand({ respond: rawRespond, logger, deps, input }: NoticeSubcommandArgs): Promise<void> {
  const respond = notedRespond(rawRespond, deps.sourceNote);
  const { message, failed } = await impactMessage(deps, input, logger);
  // An error leaves the message it answers as it is.
  await respond({ response_type: 'ephemeral', ...(failed ? { replace_original: false } : {}), text: message.text, blocks: message.blocks });
}
