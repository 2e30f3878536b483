// Renders a Slack message as terminal text: header, sections, fields, context, tables as aligned
// columns, and buttons numbered so that typing the number presses them.
import type { KnownBlock, TableBlock } from '@slack/types';

export interface RenderedButton {
  number: number;
  actionId: string;
  blockId?: string;
  value?: string;
  label: string;
}

export interface Rendered {
  text: string;
  buttons: RenderedButton[];
}

const EMOJI: Record<string, string> = { ':warning:': '!', ':x:': 'x', ':white_check_mark:': 'ok' };

/** mrkdwn as plain text: entities decoded, links as "label (url)", code blocks indented. */
export function mrkdwnToText(mrkdwn: string): string {
  return mrkdwn
    .replace(/```([\s\S]*?)```/g, (_, body: string) => `\n${body.split('\n').map((line) => `      ${line}`).join('\n')}`)
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(^|\s)\*([^*\n]+)\*(?=\s|[.,:;)]|$)/g, '$1$2')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|[.,:;)]|$)/g, '$1$2')
    .replace(/:[a-z_]+:/g, (emoji) => EMOJI[emoji] ?? emoji)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(object: { type: string; text: string } | undefined): string {
  if (!object) return '';
  return object.type === 'mrkdwn' ? mrkdwnToText(object.text) : object.text;
}

/** A column wider than this is cut with "…", so a row stays on one terminal line as far as it can. */
const TABLE_COLUMN_WIDTH = 60;

/** The words of a rich_text cell: every `text` in it, in order. */
function richText(value: unknown): string {
  if (Array.isArray(value)) return value.map(richText).join('');
  if (typeof value !== 'object' || value === null) return '';
  const object = value as { text?: unknown; elements?: unknown; user_id?: unknown; channel_id?: unknown };
  if (typeof object.user_id === 'string') return `@${object.user_id}`;
  if (typeof object.channel_id === 'string') return `#${object.channel_id}`;
  return typeof object.text === 'string' ? object.text : richText(object.elements);
}

function cellOf(cell: TableBlock['rows'][number][number]): string {
  return cell.type === 'rich_text' ? richText(cell.elements) : cell.text;
}

/** A table as columns padded to their widest cell, the heading row underlined. */
export function renderTable(block: TableBlock): string[] {
  const rows = block.rows.map((row) =>
    row.map((cell) => {
      const text = cellOf(cell);
      return text.length > TABLE_COLUMN_WIDTH ? `${text.slice(0, TABLE_COLUMN_WIDTH - 1)}…` : text;
    }),
  );
  const widths: number[] = [];
  for (const row of rows) row.forEach((text, i) => (widths[i] = Math.max(widths[i] ?? 0, text.length)));
  const line = (row: string[]) => row.map((text, i) => text.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const [heading, ...body] = rows;
  return heading ? [line(heading), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)] : [];
}

/** Renders blocks (or the fallback text when there are none); buttons are numbered from `firstNumber`. */
export function renderMessage(message: { text?: string; blocks?: KnownBlock[] }, firstNumber = 1): Rendered {
  const lines: string[] = [];
  const buttons: RenderedButton[] = [];
  const blocks = message.blocks ?? [];
  if (blocks.length === 0 && message.text) lines.push(mrkdwnToText(message.text));
  for (const block of blocks) {
    switch (block.type) {
      case 'header': {
        const title = block.text.text;
        lines.push('', title, '='.repeat(Math.min(title.length, 78)));
        break;
      }
      case 'section':
        if (block.text) lines.push(textOf(block.text));
        for (const field of block.fields ?? []) lines.push(`  ${textOf(field)}`);
        break;
      case 'context':
        for (const element of block.elements) if ('text' in element) lines.push(`  · ${textOf(element)}`);
        break;
      case 'divider':
        lines.push('-'.repeat(40));
        break;
      case 'table':
        lines.push('', ...renderTable(block), '');
        break;
      case 'actions': {
        const labels: string[] = [];
        for (const element of block.elements) {
          if (element.type !== 'button') continue;
          const number = firstNumber + buttons.length;
          buttons.push({
            number,
            actionId: element.action_id ?? '',
            ...(block.block_id ? { blockId: block.block_id } : {}),
            ...(element.value !== undefined ? { value: element.value } : {}),
            label: element.text.text,
          });
          labels.push(`[${number}] ${element.text.text}`);
        }
        if (labels.length > 0) lines.push('', labels.join('   '));
        break;
      }
      default:
        lines.push(`(${block.type} block)`);
    }
  }
  return { text: lines.join('\n').replace(/^\n+/, ''), buttons };
}
