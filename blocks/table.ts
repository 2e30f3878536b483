// Block Kit's `table` block, within its limits. Slack allows it in messages only (not in modals
// nor App Home), one per message, at most 100 rows (the heading row included) of at most 20
// cells; a cell is raw_text (plain text, at least one character) or rich_text. A builder that
// may be shown elsewhere takes `tables: false` and keeps its list.
import type { TableBlock } from '@slack/types';
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

export interface TableColumn<T> {
  title: string;
  cell: (item: T) => string;
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

const rowLength = (row: readonly string[]) => row.reduce((sum, cell) => sum + cell.length, 0);

/**
 * A table of `items` under a heading row. Rows that do not fit (Slack's row cap, or the text
 * budget) are left out and counted in `shown`, for the builder to say so.
 */
export function table<T>(blockId: string, columns: readonly TableColumn<T>[], items: readonly T[]): { block: TableBlock; shown: number } {
  const cols = columns.slice(0, TABLE_LIMITS.columns);
  const heading = cols.map((column) => cellText(column.title));
  const rows: string[][] = [heading];
  let length = rowLength(heading);
  for (const item of items) {
    if (rows.length === TABLE_LIMITS.rows) break;
    const row = cols.map((column) => cellText(column.cell(item)));
    if (length + rowLength(row) > TABLE_LIMITS.tableText) break;
    rows.push(row);
    length += rowLength(row);
  }
  return {
    block: {
      type: 'table',
      block_id: blockId,
      column_settings: cols.map((column) => ({ is_wrapped: column.wrap === true })),
      rows: rows.map((row) => row.map((text) => ({ type: 'raw_text' as const, text }))),
    },
    shown: rows.length - 1,
  };
}
