import type { App, BlockAction } from '@slack/bolt';
import { NEXT_STEP_ACTION_PATTERN } from '../../blocks/index.js';
import type { ListenerDeps } from '../deps.js';
import { nextStepAction } from './next-step.js';
import { UNKNOWN_ACTION_PATTERN, unknownAction } from './unknown-action.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>({ type: 'block_actions', action_id: NEXT_STEP_ACTION_PATTERN }, nextStepAction(deps));
  app.action<BlockAction>({ type: 'block_actions', action_id: UNKNOWN_ACTION_PATTERN }, unknownAction);
}
