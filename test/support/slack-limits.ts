// One validator for everything the bot sends to Slack: a message (fallback text + blocks), a
// modal or an App Home view. It returns the problems it finds as readable strings, so a failing
// test says which block broke which rule. The limits are Slack's Block Kit limits, plus the
// project's own bound on fallback text (LIMITS.fallbackText) and its escaping rules: text from
// data must never open a link, a mention or a <!channel> ping.
import { expect } from 'vitest';
import { buildAnswer, NEXT_STEP_ACTION_PATTERN, type Message } from '../../blocks/index.js';
import { LIMITS } from '../../blocks/text.js';
import { NextStepValue } from '../../blocks/elements.js';
import { TABLE_LIMITS } from '../../blocks/table.js';
import { ask, type QuestionRequest } from '../../src/lineage/questions.js';
import type { LineageService } from '../../src/lineage/service.js';

/** Slack's limits that blocks/text.ts does not name (it names only what builders use). */
export const SLACK = {
  messageBlocks: LIMITS.blocks,
  viewBlocks: 100,
  id: 255,
  textObject: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  optionText: 75,
  optionDescription: 75,
  optionValue: 150,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  buttonUrl: 3000,
  /** Slack itself truncates a message's `text` here; the project keeps it to LIMITS.fallbackText. */
  slackFallbackText: 40_000,
} as const;

export interface SlackMessageLike {
  text?: string;
  blocks: readonly unknown[];
}

export interface ValidateOptions {
  /**
   * Mentions a builder writes on purpose (the announcer of a notice, who acknowledged), as user
   * or channel IDs (`<@U…>`, `<#C…>`). Any other `<…>` in mrkdwn or fallback text is a violation.
   */
  allowedMentions?: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

class Checker {
  readonly problems: string[] = [];
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();
  private tables = 0;

  constructor(private readonly options: ValidateOptions) {}

  fail(where: string, what: string): void {
    this.problems.push(`${where}: ${what}`);
  }

  max(where: string, value: string | undefined, limit: number, what: string): void {
    if (value !== undefined && value.length > limit) this.fail(where, `${what} is ${value.length} characters (at most ${limit})`);
  }

  /** Text Slack parses as mrkdwn: `&`, `<`, `>` from data must arrive as entities. */
  mrkdwn(where: string, text: string): void {
    const allowed = new Set((this.options.allowedMentions ?? []).flatMap((id) => [`<@${id}>`, `<#${id}>`]));
    for (const match of text.matchAll(/<[^>]*>?/g)) {
      if (allowed.has(match[0])) continue;
      const kind = match[0].startsWith('<!') ? 'a special mention (ping)' : match[0].startsWith('<@') ? 'a user mention' : match[0].startsWith('<#') ? 'a channel link' : 'unescaped "<"';
      this.fail(where, `${kind} ${JSON.stringify(match[0].slice(0, 40))}`);
    }
    if (/>/.test(text.replace(/<[^>]*>/g, ''))) this.fail(where, 'unescaped ">"');
    const bareAmp = text.match(/&(?!amp;|lt;|gt;)/);
    if (bareAmp) this.fail(where, `unescaped "&" near ${JSON.stringify(text.slice(bareAmp.index, (bareAmp.index ?? 0) + 20))}`);
  }

  textObject(where: string, object: unknown, limit: number, what: string): void {
    if (!isObject(object)) return;
    const text = typeof object['text'] === 'string' ? object['text'] : '';
    this.max(where, text, limit, what);
    if (object['type'] === 'mrkdwn') this.mrkdwn(where, text);
  }

  blockId(where: string, id: unknown): void {
    if (typeof id !== 'string') return;
    this.max(where, id, SLACK.id, 'block_id');
    if (this.blockIds.has(id)) this.fail(where, `duplicate block_id ${id}`);
    this.blockIds.add(id);
  }

  element(where: string, element: unknown): void {
    if (!isObject(element)) return;
    const actionId = element['action_id'];
    if (typeof actionId === 'string') {
      this.max(where, actionId, SLACK.id, 'action_id');
      if (this.actionIds.has(actionId)) this.fail(where, `duplicate action_id ${actionId}`);
      this.actionIds.add(actionId);
    }
    switch (element['type']) {
      case 'button':
        this.textObject(where, element['text'], LIMITS.buttonText, 'button text');
        this.max(where, element['value'] as string | undefined, LIMITS.buttonValue, 'button value');
        this.max(where, element['url'] as string | undefined, SLACK.buttonUrl, 'button url');
        break;
      case 'mrkdwn':
      case 'plain_text':
        this.textObject(where, element, SLACK.textObject, 'context text');
        break;
      default:
        break;
    }
    if (isObject(element['placeholder'])) this.textObject(where, element['placeholder'], SLACK.placeholder, 'placeholder');
    for (const key of ['options', 'initial_option'] as const) {
      const options = key === 'options' ? element[key] : [element[key]];
      if (!Array.isArray(options)) continue;
      for (const option of options) {
        if (!isObject(option)) continue;
        this.textObject(where, option['text'], SLACK.optionText, 'option text');
        this.textObject(where, option['description'], SLACK.optionDescription, 'option description');
        this.max(where, option['value'] as string | undefined, SLACK.optionValue, 'option value');
      }
    }
  }

  block(index: number, block: unknown): void {
    if (!isObject(block)) return this.fail(`block ${index}`, 'not an object');
    const where = `block ${index} (${String(block['type'])}${typeof block['block_id'] === 'string' ? ` ${block['block_id']}` : ''})`;
    this.blockId(where, block['block_id']);
    switch (block['type']) {
      case 'header':
        this.textObject(where, block['text'], LIMITS.headerText, 'header text');
        break;
      case 'section': {
        this.textObject(where, block['text'], LIMITS.sectionText, 'section text');
        const fields = block['fields'];
        if (Array.isArray(fields)) {
          if (fields.length > LIMITS.fields) this.fail(where, `${fields.length} fields (at most ${LIMITS.fields})`);
          for (const field of fields) this.textObject(where, field, LIMITS.fieldText, 'field text');
        }
        if (block['accessory'] !== undefined) this.element(where, block['accessory']);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block['elements']) ? block['elements'] : [];
        if (elements.length > LIMITS.contextElements) this.fail(where, `${elements.length} context elements (at most ${LIMITS.contextElements})`);
        for (const element of elements) this.element(where, element);
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block['elements']) ? block['elements'] : [];
        if (elements.length > LIMITS.actionsElements) this.fail(where, `${elements.length} actions elements (at most ${LIMITS.actionsElements})`);
        for (const element of elements) this.element(where, element);
        break;
      }
      case 'table':
        this.table(where, block);
        break;
      case 'input':
        this.textObject(where, block['label'], SLACK.inputLabel, 'input label');
        this.textObject(where, block['hint'], SLACK.inputHint, 'input hint');
        this.element(where, block['element']);
        break;
      default:
        break;
    }
  }

  /**
   * Slack's table rules: one per message, at most 100 rows of at most 20 cells, every row as wide
   * as the heading, no empty raw_text; and the project's text bounds (TABLE_LIMITS). A raw_text
   * cell is never parsed, yet from data it must hold no `<`: nothing copied from it may ping.
   */
  table(where: string, block: Json): void {
    this.tables += 1;
    if (this.tables > 1) this.fail(where, 'a second table in one message (Slack allows one)');
    const rows = Array.isArray(block['rows']) ? (block['rows'] as unknown[]) : [];
    if (rows.length === 0) this.fail(where, 'a table without rows');
    if (rows.length > TABLE_LIMITS.rows) this.fail(where, `${rows.length} table rows (at most ${TABLE_LIMITS.rows})`);
    const settings = block['column_settings'];
    if (Array.isArray(settings) && settings.length > TABLE_LIMITS.columns) this.fail(where, `${settings.length} column_settings (at most ${TABLE_LIMITS.columns})`);
    const width = Array.isArray(rows[0]) ? rows[0].length : 0;
    let total = 0;
    rows.forEach((row, r) => {
      if (!Array.isArray(row)) return this.fail(where, `row ${r} is not an array`);
      if (row.length > TABLE_LIMITS.columns) this.fail(where, `row ${r} has ${row.length} cells (at most ${TABLE_LIMITS.columns})`);
      if (row.length !== width) this.fail(where, `row ${r} has ${row.length} cells, the heading ${width}`);
      row.forEach((cell: unknown, c) => {
        const at = `${where} cell ${r},${c}`;
        if (!isObject(cell)) return this.fail(at, 'not an object');
        if (cell['type'] === 'raw_text') {
          const text = typeof cell['text'] === 'string' ? cell['text'] : '';
          if (text.length === 0) this.fail(at, 'empty raw_text (Slack wants at least 1 character)');
          this.max(at, text, TABLE_LIMITS.cellText, 'cell text');
          if (/[<>]/.test(text)) this.fail(at, `angle bracket in raw_text ${JSON.stringify(text.slice(0, 40))}`);
          total += text.length;
        } else if (cell['type'] === 'rich_text') {
          const words = richTextWords(cell['elements']);
          this.max(at, words.join(''), TABLE_LIMITS.cellText + 40, 'cell text');
          for (const word of words) if (/[<>]/.test(word)) this.fail(at, `angle bracket in rich_text ${JSON.stringify(word.slice(0, 40))}`);
          total += words.join('').length;
        } else this.fail(at, `cell type ${String(cell['type'])}`);
      });
    });
    if (total > TABLE_LIMITS.tableText) this.fail(where, `${total} characters across the table's cells (at most ${TABLE_LIMITS.tableText})`);
  }

  blocks(blocks: readonly unknown[], maxBlocks: number): void {
    if (blocks.length > maxBlocks) this.fail('message', `${blocks.length} blocks (at most ${maxBlocks})`);
    blocks.forEach((block, index) => this.block(index, block));
  }

  /** Modals and App Home take no table block. */
  noTables(blocks: readonly unknown[]): void {
    blocks.forEach((block, index) => {
      if (isObject(block) && block['type'] === 'table') this.fail(`block ${index} (table)`, 'a table outside a message (Slack allows tables in messages only)');
    });
  }
}

/** Problems with a message: its blocks, and its fallback text (which Slack also parses as mrkdwn). */
export function messageViolations(message: SlackMessageLike, options: ValidateOptions = {}): string[] {
  const checker = new Checker(options);
  checker.blocks(message.blocks, SLACK.messageBlocks);
  if (message.text !== undefined) {
    checker.max('fallback text', message.text, LIMITS.fallbackText, 'fallback text');
    checker.mrkdwn('fallback text', message.text);
  }
  return checker.problems;
}

/** Problems with a modal or an App Home view. */
export function viewViolations(view: Json, options: ValidateOptions = {}): string[] {
  const checker = new Checker(options);
  const blocks = Array.isArray(view['blocks']) ? view['blocks'] : [];
  checker.blocks(blocks, SLACK.viewBlocks);
  checker.noTables(blocks);
  if (view['type'] === 'modal') {
    checker.textObject('modal', view['title'], SLACK.modalTitle, 'title');
    checker.textObject('modal', view['submit'], SLACK.modalButton, 'submit');
    checker.textObject('modal', view['close'], SLACK.modalButton, 'close');
  }
  checker.max('view', view['private_metadata'] as string | undefined, SLACK.privateMetadata, 'private_metadata');
  checker.max('view', view['callback_id'] as string | undefined, SLACK.id, 'callback_id');
  return checker.problems;
}

export function expectMessageWithinLimits(message: SlackMessageLike, label = 'message', options: ValidateOptions = {}): void {
  expect(messageViolations(message, options), label).toEqual([]);
}

export function expectViewWithinLimits(view: object, label = 'view', options: ValidateOptions = {}): void {
  expect(viewViolations(view as Json, options), label).toEqual([]);
}

/** Every string Slack would show or parse from a message, for "nothing pings" assertions. */
export function everyText(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(everyText);
  if (isObject(value)) return Object.entries(value).flatMap(([key, v]) => (key === 'value' || key === 'private_metadata' ? [] : everyText(v)));
  return [];
}

/**
 * An answer as the bot sends it, page after page: page 0 as the command asks and renders it, then
 * each page its "More" button asks for (its value parsed back as the button listener parses it,
 * and asked again as the listener does: a paged answer names only what its page shows).
 */
export async function everyPage(service: LineageService, request: QuestionRequest, maxPages = 500): Promise<Message[]> {
  const pages: Message[] = [];
  let page: number | undefined = 0;
  while (page !== undefined && pages.length < maxPages) {
    const message = buildAnswer(await ask(service, request, page), { page, request });
    pages.push(message);
    page = undefined;
    for (const block of message.blocks) {
      if (block.type !== 'actions') continue;
      for (const element of block.elements) {
        if (element.type !== 'button' || !element.text.text.startsWith('More')) continue;
        const parsed = NextStepValue.safeParse(JSON.parse(element.value ?? 'null'));
        expect(parsed.success, `the More button's value parses: ${element.value?.slice(0, 80)}`).toBe(true);
        if (parsed.success) page = parsed.data.p;
      }
    }
  }
  expect(pages.length, 'paging ends').toBeLessThan(maxPages);
  return pages;
}

/** The `text` of every text element of rich_text, in order (mentions are elements of their own). */
function richTextWords(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(richTextWords);
  if (!isObject(value)) return [];
  if (value['type'] === 'text' && typeof value['text'] === 'string') return [value['text']];
  return richTextWords(value['elements']);
}

/** A rich_text cell as mrkdwn would say it: words as written, mentions as `<@U…>` and `<#C…>`. */
function richCellText(value: unknown): string {
  if (Array.isArray(value)) return value.map(richCellText).join('');
  if (!isObject(value)) return '';
  if (value['type'] === 'text') return String(value['text']);
  if (value['type'] === 'user') return `<@${String(value['user_id'])}>`;
  if (value['type'] === 'channel') return `<#${String(value['channel_id'])}>`;
  return richCellText(value['elements']);
}

/** The cells of the table `blockId` as text, row by row (the heading first); undefined when there is none. */
export function tableRows(blocks: readonly unknown[], blockId: string): string[][] | undefined {
  const block = blocks.find((b) => isObject(b) && b['type'] === 'table' && b['block_id'] === blockId) as Json | undefined;
  if (!block) return undefined;
  return (block['rows'] as Json[][]).map((row) => row.map((cell) => (cell['type'] === 'raw_text' ? String(cell['text']) : richCellText(cell['elements']))));
}

/** Next-step buttons whose value the button listener would refuse ("no longer understood"). */
export function unparseableNextSteps(message: SlackMessageLike): string[] {
  const bad: string[] = [];
  for (const block of message.blocks) {
    if (!isObject(block) || block['type'] !== 'actions' || !Array.isArray(block['elements'])) continue;
    for (const element of block['elements'] as Json[]) {
      if (typeof element['action_id'] !== 'string' || !NEXT_STEP_ACTION_PATTERN.test(element['action_id'])) continue;
      const value = typeof element['value'] === 'string' ? element['value'] : '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!NextStepValue.safeParse(parsed).success) bad.push(`${JSON.stringify((element['text'] as Json | undefined)?.['text'])}: ${value.slice(0, 80)}`);
    }
  }
  return bad;
}
