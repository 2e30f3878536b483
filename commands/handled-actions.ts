// The block actions this app answers, collected as their listeners are registered, so that the
// fallback (unknown-action.ts) answers exactly the rest: every action is acknowledged by one
// listener, never by none (Slack would show the clicker an error after 3 s) and never by two.
import type { App, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';

export class HandledActions {
  private readonly ids: (string | RegExp)[] = [];

  /** Registers `listener` for block actions with this action_id (exact, or a pattern) and remembers it. */
  action(app: App, actionId: string | RegExp, listener: Middleware<SlackActionMiddlewareArgs<BlockAction>>): void {
    this.ids.push(actionId);
    app.action<BlockAction>({ type: 'block_actions', action_id: actionId }, listener);
  }

  /** True when a registered listener answers this action_id. */
  has(actionId: string): boolean {
    return this.ids.some((id) => (typeof id === 'string' ? id === actionId : id.test(actionId)));
  }
}
