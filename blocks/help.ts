import type { Message } from './common.js';
import { compact, context, header, section } from './elements.js';
import { BLOCK } from './ids.js';
import { escape, fitLines } from './text.js';

export interface HelpEntry {
  usage: string;
  description: string;
  example: string;
}

/** The list of subcommands, as commands/ defines them. */
export function buildHelp(command: string, entries: readonly HelpEntry[], footer: string): Message {
  const lines = entries.map((e) => `\`${escape(`${command} ${e.usage}`)}\`\n      ${escape(e.description)} _e.g._ \`${escape(`${command} ${e.example}`)}\``);
  return {
    text: `${command} help: ${entries.map((e) => e.usage.split(' ')[0]).join(', ')}`,
    blocks: compact([
      header('Lineage bot: what you can ask', BLOCK.header),
      section(fitLines(lines), BLOCK.help),
      context(escape(footer), BLOCK.hint),
    ]),
  };
}
