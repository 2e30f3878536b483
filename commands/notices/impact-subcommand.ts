import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildImpact } from '../../blocks/notices/index.js';
import { COMMAND } from '../subcommands.js';
import { featureGroupArgument } from './command-input.js';
import type { NoticeListenerDeps } from '../deps.js';
import { noticeErrorText } from '../errors.js';
import { notedRespond, respondError } from '../reply.js';

/** Bolt's slash-command arguments, the notice dependencies, and the text after the subcommand word. */
export type NoticeSubcommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs & { deps: NoticeListenerDeps; input: string };

/**
 * `/lineage impact <feature-group>`: who a change would affect, only to the asker, notifying
 * nobody. Call it after ack().
 */
export async function impactSubcommand({ respond: rawRespond, logger, deps, input }: NoticeSubcommandArgs): Promise<void> {
  const respond = notedRespond(rawRespond, deps.sourceNote);
  const argument = featureGroupArgument('impact', input);
  if ('problem' in argument) {
    await respondError(respond, { message: argument.problem });
    return;
  }
  try {
    const message = buildImpact(await deps.notices.impact(argument.featureGroup), COMMAND);
    await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
  } catch (error) {
    await respondError(respond, noticeErrorText(error, logger));
  }
}
