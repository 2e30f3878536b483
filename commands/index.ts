// Every listener and global middleware is wired here and only here. Listeners are grouped by
// feature (commands/lineage/, commands/notices/), each folder's index registering its own; what
// both features share — dependencies, the reply and error path, messages, the /lineage
// subcommand table — sits beside this file.
import type { App } from '@slack/bolt';
import type { InFlight } from '../src/in-flight.js';
import type { ListenerDeps } from './deps.js';
import { HandledActions } from './handled-actions.js';
import { register as registerLineage } from './lineage/index.js';
import { isAssistantMessage } from './lineage/assistant.js';
import { isGraphReply } from './lineage/thread-message.js';
import { dedupeEvents } from './middleware/dedupe-events.js';
import { trackInFlight } from './middleware/track-in-flight.js';
import { register as registerNotices } from './notices/index.js';
import { registerUnknownAction } from './unknown-action.js';
import { register as registerWorkflowSteps } from './workflow/index.js';

/** The slash command, for front ends that show it (the console). */
export { COMMAND } from './subcommands.js';

export function registerListeners(app: App, deps: ListenerDeps & { inFlight: InFlight }): void {
  app.use(trackInFlight(deps.inFlight));
  // The bot hears every message of its channels (message.channels) but acts only on "graph" in a
  // thread and on messages in its assistant pane.
  app.use(dedupeEvents(deps.memory, { ignored: (event) => event['type'] === 'message' && !isGraphReply(event) && !isAssistantMessage(event) }));
  const actions = new HandledActions();
  registerLineage(app, deps, actions);
  if (deps.notices) registerNotices(app, deps.notices, actions);
  if (deps.notices) registerWorkflowSteps(app, deps.notices);
  // Last: it answers exactly the actions nothing above registered.
  registerUnknownAction(app, actions);
}
