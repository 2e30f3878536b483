import type { App, BlockAction } from '@slack/bolt';
import { NEXT_STEP_ACTION_PATTERN } from '../../blocks/index.js';
import type { ListenerDeps } from '../deps.js';
import { nextStepAction } from './next-step.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>({ type: 'block_actions', action_id: NEXT_STEP_ACTION_PATTERN }, nextStepAction(deps));
}
