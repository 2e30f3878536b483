// The lineage feature's listeners: the /lineage command, next-step and Graph buttons, the message
// shortcut, mentions, the assistant pane, "graph" in an answer's thread, link unfurls and App Home.
import type { App, MessageShortcut } from '@slack/bolt';
import { GRAPH_ACTION, NEXT_STEP_ACTION_PATTERN } from '../../blocks/index.js';
import type { ListenerDeps } from '../deps.js';
import type { HandledActions } from '../handled-actions.js';
import { COMMAND } from '../subcommands.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';
import { lineageAssistant } from './assistant.js';
import { graphAction } from './graph-action.js';
import { EXPLAIN_LINEAGE_CALLBACK, explainLineageShortcut } from './explain-lineage-shortcut.js';
import { lineageCommand } from './lineage-command.js';
import { linkShared } from './link-shared.js';
import { nextStepAction } from './next-step-action.js';
import { RECORD_LINK_ACTION_PATTERN } from '../../blocks/proposals.js';
import { recordLinkAction } from './record-link-action.js';
import { threadMessage } from './thread-message.js';

export function register(app: App, deps: ListenerDeps, actions: HandledActions): void {
  app.command(COMMAND, lineageCommand(deps));
  actions.action(app, NEXT_STEP_ACTION_PATTERN, nextStepAction(deps));
  actions.action(app, GRAPH_ACTION, graphAction(deps));
  actions.action(app, RECORD_LINK_ACTION_PATTERN, recordLinkAction(deps));
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: EXPLAIN_LINEAGE_CALLBACK }, explainLineageShortcut(deps));
  app.event('app_mention', appMention(deps));
  // The assistant pane: assistant_thread_started, assistant_thread_context_changed and its messages (message.im).
  app.assistant(lineageAssistant(deps));
  // message.channels and message.groups: the word "graph" alone in the thread of an answer.
  app.event('message', threadMessage(deps));
  app.event('link_shared', linkShared(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
