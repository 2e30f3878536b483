// The lineage feature's listeners: the /lineage command, next-step buttons, the message
// shortcut, mentions, link unfurls and App Home.
import type { App, MessageShortcut } from '@slack/bolt';
import { NEXT_STEP_ACTION_PATTERN } from '../../blocks/index.js';
import type { ListenerDeps } from '../deps.js';
import type { HandledActions } from '../handled-actions.js';
import { COMMAND } from '../subcommands.js';
import { appHomeOpened } from './app-home-opened.js';
import { appMention } from './app-mention.js';
import { EXPLAIN_LINEAGE_CALLBACK, explainLineageShortcut } from './explain-lineage-shortcut.js';
import { lineageCommand } from './lineage-command.js';
import { linkShared } from './link-shared.js';
import { nextStepAction } from './next-step-action.js';

export function register(app: App, deps: ListenerDeps, actions: HandledActions): void {
  app.command(COMMAND, lineageCommand(deps));
  actions.action(app, NEXT_STEP_ACTION_PATTERN, nextStepAction(deps));
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: EXPLAIN_LINEAGE_CALLBACK }, explainLineageShortcut(deps));
  app.event('app_mention', appMention(deps));
  app.event('link_shared', linkShared(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
