// Block Kit's `table` block, within its limits. Slack allows it in messages only (not in modals
// nor App Home), one per message, at most 100 rows (the heading row included) of at most 20
// cells; a cell is raw_text (plain text, at least one character) or rich_text. A builder that
// may be shown elsewhere takes `tables: false` and keeps its list.
import type { RichTextBlock, RichTextElement, TableBlock } from '@slack/types';
import { truncate } from './text.js';

export const TABLE_LIMITS = {
  /** Slack's: rows of one table, its heading row included. */
  rows: 100,
  /** Slack's: cells of one row, and column_settings entries. */
  columns: 20,
  /**
   * The project's bounds, not Slack's: Slack documents no cell or table text limit for `table`
   * (it documents 10,000 characters across a `data_table`'s cells); staying under that keeps a
   * table readable and clear of msg_blocks_too_long.
   */
  cellText: 300,
  tableText: 10_000,
} as const;

/** Words, or a user or channel mentioned by ID (only a rich_text cell can mention). */
export type CellPart = string | { user: string } | { channel: string };

export interface TableColumn<T> {
  title: string;
  /** Plain text (a raw_text cell), or parts holding a mention (a rich_text cell). */
  cell: (item: T) => string | readonly CellPart[];
  /** Long values wrap instead of being cut off by Slack's column width. */
  wrap?: boolean;
}

/**
 * A raw_text cell. Slack shows raw_text as written, never as mrkdwn; angle brackets are still
 * drawn as ‹ › so that no `<!channel>` from data can become markup if the text is ever copied into
 * mrkdwn (the console, a fallback). Empty is "—": Slack refuses an empty cell.
 */
export function cellText(text: string): string {
  const plain = text.replace(/</g, '‹').replace(/>/g, '›').replace(/\s+/g, ' ').trim();
  return plain.length === 0 ? '—' : truncate(plain, TABLE_LIMITS.cellText);
}

type Cell = RichTextBlock | { type: 'raw_text'; text: string };

const isId = (id: string, first: RegExp) => first.test(id) && /^[A-Z0-9]{3,}$/.test(id);

/**
 * A cell from what a column gives: text is raw_text; parts are rich_text, each text part cleaned
 * as cellText cleans, each mention a user or channel element (an ID that is not one is words).
 */
function cellOf(value: string | readonly CellPart[]): { cell: Cell; length: number } {
  if (typeof value === 'string') {
    const text = cellText(value);
    return { cell: { type: 'raw_text', text }, length: text.length };
  }
  const elements: RichTextElement[] = [];
  let length = 0;
  for (const part of value) {
    if (length >= TABLE_LIMITS.cellText) break;
    if (typeof part === 'string') {
      const text = truncate(part.replace(/</g, '‹').replace(/>/g, '›').replace(/\s+/g, ' '), TABLE_LIMITS.cellText - length);
      if (text.length > 0) elements.push({ type: 'text', text });
      length += text.length;
    } else if ('user' in part) {
      if (isId(part.user, /^[UW]/)) elements.push({ type: 'user', user_id: part.user });
      else elements.push({ type: 'text', text: cellText(part.user) });
      length += part.user.length + 1;
    } else {
      if (isId(part.channel, /^[CG]/)) elements.push({ type: 'channel', channel_id: part.channel });
      else elements.push({ type: 'text', text: cellText(part.channel) });
      length += part.channel.length + 1;
    }
  }
  if (elements.length === 0) return cellOf('');
  return { cell: { type: 'rich_text', elements: [{ type: 'rich_text_section', elements }] }, length };
}

/**
 * A table of `items` under a heading row. Rows that do not fit (Slack's row cap, or the text
 * budget) are left out and counted in `shown`, for the builder to say so.
 */
export function table<T>(blockId: string, columns: readonly TableColumn<T>[], items: readonly T[]): { block: TableBlock; shown: number } {
  const cols = columns.slice(0, TABLE_LIMITS.columns);
  const heading = cols.map((column) => cellText(column.title));
  const rows: Cell[][] = [heading.map((text) => ({ type: 'raw_text', text }))];
  let length = heading.reduce((sum, text) => sum + text.length, 0);
  for (const item of items) {
    if (rows.length === TABLE_LIMITS.rows) break;
    const cells = cols.map((column) => cellOf(column.cell(item)));
    const rowLength = cells.reduce((sum, cell) => sum + cell.length, 0);
    if (length + rowLength > TABLE_LIMITS.tableText) break;
    rows.push(cells.map((cell) => cell.cell));
    length += rowLength;
  }
  return {
    block: {
      type: 'table',
      block_id: blockId,
      column_settings: cols.map((column) => ({ is_wrapped: column.wrap === true })),
      rows,
    },
    shown: rows.length - 1,
  };
}
