import type { Message } from './common.js';
import { compact, context, header, section } from './elements.js';
import { BLOCK } from './ids.js';
import { escape, LIMITS, truncate } from './text.js';

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
      ...sections(lines).map((text, i) => section(text, i === 0 ? BLOCK.help : `${BLOCK.help}_${i}`)),
      context(escape(footer), BLOCK.hint),
    ]),
  };
}

/**
 * The entries in as many sections as they need: help that stops at "…and 1 more" hides the very
 * command someone looked for. A section holds at most LIMITS.sectionText characters.
 */
function sections(lines: readonly string[]): string[] {
  const texts: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const raw of lines) {
    const line = truncate(raw, LIMITS.sectionText);
    if (current.length > 0 && length + 1 + line.length > LIMITS.sectionText) {
      texts.push(current.join('\n'));
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + line.length;
    current.push(line);
  }
  if (current.length > 0) texts.push(current.join('\n'));
  return texts;
}
