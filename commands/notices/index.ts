// The notices feature's listeners: the deprecate and move-date modals' submissions (and the
// deprecate form's feature look-up for large groups), the
// Acknowledge / Show lineage / Who else is affected buttons of owners' messages, and the summary's
// Move date / Cancel notice buttons (registered through `actions`, so the fallback for
// unknown actions leaves them alone). `/lineage impact` and `/lineage deprecate` arrive through
// the one /lineage command (commands/lineage/lineage-command.ts).
import type { App, ViewSubmitAction } from '@slack/bolt';
import { DEPRECATE_MODAL, MOVE_MODAL, NOTICE_ACTION } from '../../blocks/notices/index.js';
import type { NoticeListenerDeps } from '../deps.js';
import type { HandledActions } from '../handled-actions.js';
import { acknowledgeAction } from './acknowledge-action.js';
import { cancelNoticeAction } from './cancel-notice-action.js';
import { deprecateSubmission } from './deprecate-submission.js';
import { featureOptions } from './feature-options.js';
import { moveNoticeAction } from './move-notice-action.js';
import { moveSubmission } from './move-submission.js';
import { showLineageAction } from './show-lineage-action.js';
import { whoElseAction } from './who-else-action.js';

export function register(app: App, deps: NoticeListenerDeps, actions: HandledActions): void {
  app.view<ViewSubmitAction>({ callback_id: DEPRECATE_MODAL.callbackId, type: 'view_submission' }, deprecateSubmission(deps));
  app.options({ type: 'block_suggestion', block_id: DEPRECATE_MODAL.featuresBlock, action_id: DEPRECATE_MODAL.featuresAction }, featureOptions(deps));
  actions.action(app, NOTICE_ACTION.acknowledge, acknowledgeAction(deps));
  actions.action(app, NOTICE_ACTION.showLineage, showLineageAction(deps));
  actions.action(app, NOTICE_ACTION.whoElse, whoElseAction(deps));
  app.view<ViewSubmitAction>({ callback_id: MOVE_MODAL.callbackId, type: 'view_submission' }, moveSubmission(deps));
  actions.action(app, NOTICE_ACTION.move, moveNoticeAction(deps));
  actions.action(app, NOTICE_ACTION.cancel, cancelNoticeAction(deps));
}
