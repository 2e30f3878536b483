// Every listener and global middleware is wired here and only here.
import type { App } from '@slack/bolt';
import type { InFlight } from '../src/in-flight.js';
import { HandledActions, register as registerActions, registerUnknownAction } from './actions/index.js';
import { register as registerCommands } from './commands/index.js';
import type { ListenerDeps } from './deps.js';
import { register as registerEvents } from './events/index.js';
import { dedupeEvents } from './middleware/dedupe-events.js';
import { trackInFlight } from './middleware/track-in-flight.js';
import { register as registerNotices } from './notices/index.js';
import { register as registerShortcuts } from './shortcuts/index.js';

export type { ConversationMemory, LinkFinder, ListenerDeps, ThreadContext, ThreadKey } from './deps.js';

export function registerListeners(app: App, deps: ListenerDeps & { inFlight: InFlight }): void {
  app.use(trackInFlight(deps.inFlight));
  app.use(dedupeEvents(deps.memory));
  const actions = new HandledActions();
  registerCommands(app, deps);
  registerActions(app, deps, actions);
  registerShortcuts(app, deps);
  registerEvents(app, deps);
  if (deps.notices) registerNotices(app, deps.notices, actions);
  // Last: it answers exactly the actions nothing above registered.
  registerUnknownAction(app, actions);
}
