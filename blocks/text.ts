// Text rules for every message, in one place: Slack's Block Kit limits and mrkdwn escaping.
// Every builder takes text that comes from data through `escape` and through the limits below.

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  /** An option's text in a select. */
  optionText: 75,
  buttonValue: 2000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  fallbackText: 3000,
} as const;

/**
 * Escapes text from data for mrkdwn: `&`, `<` and `>` become entities, so a crafted name cannot
 * open a link, a mention or `<!channel>`. Backticks are replaced so a name cannot close a code span.
 */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A message's top-level `text` (the notification and screen-reader fallback) built from data.
 * Slack parses it as mrkdwn, so a crafted name in it would ping or link just as in a block; and a
 * notification needs a sentence, not a 5,000-character URI, so it is cut to LIMITS.fallbackText.
 */
export function fallback(text: string): string {
  return truncate(escape(text), LIMITS.fallbackText);
}

/** Escaped text shown as inline code: the name stays exactly as it is, formatting characters included. */
export function code(text: string): string {
  return `\`${escape(text.replace(/`/g, 'ˋ'))}\``;
}

/** Cuts text to `max` characters, ending with "…" when cut. Never splits an escape entity. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const entity = cut.lastIndexOf('&');
  if (entity !== -1 && !cut.slice(entity).includes(';') && text.slice(entity, entity + 6).includes(';')) cut = cut.slice(0, entity);
  return `${cut}…`;
}

/**
 * Joins lines into one section's text within the limit; lines that do not fit are counted in a
 * closing "…and N more" line rather than silently dropped.
 */
export function fitLines(lines: readonly string[], max: number = LIMITS.sectionText, more = (n: number) => `…and ${n} more`): string {
  const kept: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const remaining = lines.length - i - 1;
    const reserve = remaining > 0 ? more(remaining + 1).length + 1 : 0;
    if (length + line.length + 1 + reserve > max) {
      kept.push(more(lines.length - i));
      return kept.join('\n');
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
