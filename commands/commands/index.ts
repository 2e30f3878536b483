import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps.js';
import { COMMAND } from '../subcommands.js';
import { lineageCommand } from './lineage-command.js';

export function register(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, lineageCommand(deps));
}
