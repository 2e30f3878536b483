// Notice listeners, wired here and only here, and the two /lineage subcommands the lead's
// command calls.
//
//   register(app: App, deps: NoticeListenerDeps, actions: HandledActions): void
//     the deprecate modal's submission (callback_id DEPRECATE_MODAL.callbackId) and the
//     Acknowledge / Show lineage / Who else is affected buttons of notices (registered through
//     `actions`, so the fallback for unknown actions leaves them alone).
//
//   impactSubcommand(args: NoticeSubcommandArgs): Promise<void>     for `/lineage impact <fg>`
//   deprecateSubcommand(args: NoticeSubcommandArgs): Promise<void>  for `/lineage deprecate <fg>`
//     NoticeSubcommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs
//                            & { deps: NoticeListenerDeps; input: string }
//     `input` is the command text after the subcommand word ("customers"). Call them after
//     ack(): they answer through `respond` (ephemeral), and deprecate opens its modal with
//     `client.views.open(command.trigger_id)`.
//
//   NoticeListenerDeps = { notices: NoticeService; service: LineageService; logger: Logger; clock?: Clock }
import type { App, ViewSubmitAction } from '@slack/bolt';
import { DEPRECATE_MODAL, NOTICE_ACTION } from '../../blocks/notices/index.js';
import type { HandledActions } from '../actions/handled-actions.js';
import { acknowledgeAction } from './acknowledge-action.js';
import type { NoticeListenerDeps } from './deps.js';
import { deprecateSubmission } from './deprecate-submission.js';
import { showLineageAction } from './show-lineage-action.js';
import { whoElseAction } from './who-else-action.js';

export type { NoticeListenerDeps } from './deps.js';
export { deprecateSubcommand } from './deprecate-subcommand.js';
export { impactSubcommand, type NoticeSubcommandArgs } from './impact-subcommand.js';
export { NOTICE_MESSAGES } from './messages.js';
export { explainAnnounceFailure } from './errors.js';

export { NOTICE_SUBCOMMANDS } from './help.js';

export function register(app: App, deps: NoticeListenerDeps, actions: HandledActions): void {
  app.view<ViewSubmitAction>({ callback_id: DEPRECATE_MODAL.callbackId, type: 'view_submission' }, deprecateSubmission(deps));
  actions.action(app, NOTICE_ACTION.acknowledge, acknowledgeAction(deps));
  actions.action(app, NOTICE_ACTION.showLineage, showLineageAction(deps));
  actions.action(app, NOTICE_ACTION.whoElse, whoElseAction(deps));
}
