// Workflow Builder steps (Slack custom functions, declared under `functions` in manifest.yml):
// "Check feature group impact" and "Announce a feature group change". Bolt acknowledges each
// function_executed event at once; the step then ends with complete() or fail().
import type { App } from '@slack/bolt';
import type { NoticeListenerDeps } from '../deps.js';
import { announceFunction } from './announce-function.js';
import { checkImpactFunction } from './check-impact-function.js';
import { WORKFLOW_FUNCTION } from './ids.js';

export { WORKFLOW_FUNCTION } from './ids.js';

export function register(app: App, deps: NoticeListenerDeps): void {
  app.function(WORKFLOW_FUNCTION.checkImpact, checkImpactFunction(deps));
  app.function(WORKFLOW_FUNCTION.announce, announceFunction(deps));
}
