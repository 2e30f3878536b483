import type { App } from '@slack/bolt';
import { NEXT_STEP_ACTION_PATTERN } from '../../blocks/index.js';
import type { ListenerDeps } from '../deps.js';
import type { HandledActions } from './handled-actions.js';
import { nextStepAction } from './next-step.js';

export { HandledActions } from './handled-actions.js';
export { registerUnknownAction } from './unknown-action.js';

export function register(app: App, deps: ListenerDeps, actions: HandledActions): void {
  actions.action(app, NEXT_STEP_ACTION_PATTERN, nextStepAction(deps));
}
