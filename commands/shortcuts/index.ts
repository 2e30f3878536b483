import type { App, MessageShortcut } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import { EXPLAIN_LINEAGE_CALLBACK, explainLineageShortcut } from './explain-lineage.js';

export function register(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: EXPLAIN_LINEAGE_CALLBACK }, explainLineageShortcut(deps));
}
