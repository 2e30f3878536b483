// Pieces shared by the answer builders: how an entity, a list and a partial answer read.
import type { QuestionRequest } from '../src/lineage/questions.js';
import type { KnownBlock } from '@slack/types';
import { ANSWER_PAGE_SIZE, type Deprecation, type EntityRef, type Truncation } from '../src/lineage/answers.js';
import { KIND_LABELS } from '../src/lineage/classify.js';
import { context, section, type NextStep } from './elements.js';
import { BLOCK, listBlockId } from './ids.js';
import { code, escape, fitLines, LIMITS, plural, truncate } from './text.js';
import { table, type TableColumn } from './table.js';

/** A Slack message: blocks plus the plain fallback text used in notifications. */
export interface Message {
  text: string;
  blocks: KnownBlock[];
}

export function kindLabel(ref: Pick<EntityRef, 'kind'>): string {
  return KIND_LABELS[ref.kind].one;
}

export function count(items: readonly unknown[], kind: EntityRef['kind']): string {
  return plural(items.length, KIND_LABELS[kind].one, KIND_LABELS[kind].many);
}

/**
 * "3 models", or "at least 3 models" when the walk was cut short: what a cut-short walk counts
 * is a lower bound, never the number.
 */
export function countAtLeast(items: readonly unknown[], kind: EntityRef['kind'], cut: boolean): string {
  return `${cut ? 'at least ' : ''}${count(items, kind)}`;
}

/** The same for a plain number of things. */
export function pluralAtLeast(n: number, one: string, many: string, cut: boolean): string {
  return `${cut ? 'at least ' : ''}${plural(n, one, many)}`;
}

/** " (through `a` → `b`)": the feature groups built from the subject that something is reached through; '' when directly. */
export function throughText(through: readonly { name: string }[] | undefined, note?: string): string {
  // One parenthesis for both: "(no endpoint; through `b`)", not "(no endpoint) (through `b`)".
  const parts = [note, through && through.length > 0 ? `through ${through.map((group) => code(group.name)).join(' → ')}` : undefined];
  const said = parts.filter((part) => part !== undefined);
  return said.length > 0 ? ` (${said.join('; ')})` : '';
}

/** "• `name`" with an optional escaped detail after a dash. */
export function bullet(name: string, detail?: string): string {
  return detail ? `• ${code(name)} — ${escape(detail)}` : `• ${code(name)}`;
}

/** A titled list section, or nothing when the list is empty. */
export function listSection(name: string, title: string, lines: readonly string[]): KnownBlock | undefined {
  if (lines.length === 0) return undefined;
  return section(fitLines([`*${escape(title)}*`, ...lines]), listBlockId(name));
}

export function names(refs: readonly { name: string }[]): string {
  return refs.map((ref) => code(ref.name)).join(', ');
}

/** The note every partial answer carries: what limit cut it short. */
/**
 * That the feature group is marked deprecated in SageMaker (write-back's tags), since when and
 * what replaces it; nothing when it is not marked. Tag values are data: escaped.
 */
export function deprecationNote(deprecation: Deprecation | undefined): KnownBlock | undefined {
  if (!deprecation) return undefined;
  const since = deprecation.on ? ` since ${escape(deprecation.on)}` : '';
  const instead = deprecation.replacement ? ` Use ${code(deprecation.replacement)} instead.` : ' No replacement was named.';
  return section(truncate(`:no_entry: *Deprecated*${since}.${instead}`, LIMITS.sectionText), BLOCK.deprecation);
}

export function truncationNote(truncation: Truncation | undefined): KnownBlock | undefined {
  if (!truncation) return undefined;
  const reasons = [
    ...(truncation.depthExceeded ? [`some lineage lies more than ${plural(truncation.maxDepth, 'hop', 'hops')} away`] : []),
    ...(truncation.sizeExceeded ? [`the walk reached more than ${truncation.maxVertices} entities and left the farthest out`] : []),
  ];
  return context(`:warning: *Partial answer:* ${reasons.join('; ')}. Raise LINEAGE_MAX_DEPTH / LINEAGE_MAX_VERTICES to see more.`, BLOCK.truncation);
}

/** Lines per page of a long list, at most: fewer when long lines would not fit one section. The domain's page, so an answer paged before rendering has pages of the same size. */
export const PAGE_SIZE = ANSWER_PAGE_SIZE;

/** A list that is already one page of a longer one (the service named only what the page shows). */
export interface Slice {
  /** The page's number, from 0. */
  index: number;
  /** Where it starts among all the items, and how many it stands for. */
  start: number;
  size: number;
  total: number;
}

/** How an answer is being shown: which page of its main list, and the request that asked it. */
export interface View {
  page: number;
  request?: QuestionRequest;
  /**
   * False where a `table` block is not allowed (a modal, App Home): long lists stay lists.
   * Messages (replies, ephemeral answers, assistant threads) take tables, and it is the default.
   */
  tables?: boolean;
}

export const FIRST_PAGE: View = { page: 0 };

/**
 * Splits a list into pages of at most PAGE_SIZE lines that each fit one section under their
 * heading, so no line is left out between pages. A line longer than a whole section is cut.
 */
function paginate(title: string, lines: readonly string[], perPage = PAGE_SIZE): { start: number; lines: string[] }[] {
  const total = String(lines.length);
  const budget = LIMITS.sectionText - `*${escape(title)} (${total}–${total} of ${total})*`.length - 1;
  const pages: { start: number; lines: string[] }[] = [];
  let current: { start: number; lines: string[] } = { start: 0, lines: [] };
  let length = 0;
  lines.forEach((line, index) => {
    const fitted = truncate(line, budget);
    if (current.lines.length === perPage || (current.lines.length > 0 && length + fitted.length + 1 > budget)) {
      pages.push(current);
      current = { start: index, lines: [] };
      length = 0;
    }
    current.lines.push(fitted);
    length += fitted.length + 1;
  });
  pages.push(current);
  return pages;
}

/**
 * One page of an answer's main list, titled with the range shown, plus the "more" step that shows
 * the next page — long results are paged, never cut off.
 */
export function pagedList(
  name: string,
  title: string,
  lines: readonly string[],
  view: View,
): { block: KnownBlock | undefined; more: NextStep | undefined } {
  const { heading, shown, more } = pageOf(title, lines, view);
  return { block: listSection(name, heading, shown.lines), more };
}

/**
 * A list that is one page already (a slice), titled with its range, plus the "more" step: in as
 * many sections as its lines need, so none is cut from the page.
 */
export function slicedList(name: string, title: string, lines: readonly string[], view: View, slice: Slice): { blocks: KnownBlock[]; more: NextStep | undefined } {
  const { heading, more } = pageOf(title, lines, view, slice);
  const chunks = lines.length === 0 ? [] : paginate(`${heading}, continued`, lines, Number.POSITIVE_INFINITY);
  const blocks = chunks.flatMap((chunk, i) => listSection(i === 0 ? name : `${name}_${i + 1}`, i === 0 ? heading : `${heading}, continued`, chunk.lines) ?? []);
  return { blocks, more };
}

/** A list this long or longer reads better as a table, where one is allowed. */
export const TABLE_FROM = 6;

/**
 * pagedList as a table: the same pages (so *More* and the ranges are the list's), each shown as
 * its heading and a table of that page's items. A short list, or a surface that takes no table,
 * gets the list.
 */
export function pagedTable<T>(
  name: string,
  title: string,
  list: { lines: readonly string[]; items: readonly T[]; columns: readonly TableColumn<T>[] },
  view: View,
  slice?: Slice,
): { blocks: (KnownBlock | undefined)[]; more: NextStep | undefined } {
  if (slice && (view.tables === false || list.items.length < TABLE_FROM)) return slicedList(name, title, list.lines, view, slice);
  if (view.tables === false || list.items.length < TABLE_FROM) {
    const { block, more } = pagedList(name, title, list.lines, view);
    return { blocks: [block], more };
  }
  const { heading, shown, more } = pageOf(title, list.lines, view, slice);
  const items = list.items.slice(shown.start, shown.start + shown.lines.length);
  const { block, shown: rows } = table(listBlockId(`${name}_table`), list.columns, items);
  return {
    blocks: [
      section(`*${escape(heading)}*`, listBlockId(name)),
      block,
      // A page of lines fits one section, so its cells fit a table; said all the same if not.
      rows < items.length ? context(`The table shows ${rows} of the ${items.length} on this page: a table holds no more.`, listBlockId(`${name}_cut`)) : undefined,
    ],
    more,
  };
}

/**
 * The page `view` asks for: its lines, its heading with the range shown, and the step to the next.
 * A slice is that page already: all its lines are shown (the next page's range is not known before
 * it is named, so *More* says where it starts).
 */
function pageOf(
  title: string,
  lines: readonly string[],
  view: View,
  slice?: Slice,
): { heading: string; shown: { start: number; lines: string[] }; more: NextStep | undefined } {
  const step = (page: number, label: string) =>
    view.request
      ? { label, question: view.request.question, input: view.request.input, ...(view.request.as ? { as: view.request.as } : {}), page }
      : undefined;
  if (slice) {
    const end = slice.start + slice.size;
    const heading = slice.total > slice.size ? `${title} (${slice.start + 1}–${end} of ${slice.total})` : title;
    const more = end < slice.total ? step(slice.index + 1, `More (${end + 1}–${Math.min(end + slice.size, slice.total)} of ${slice.total})`) : undefined;
    return { heading, shown: { start: 0, lines: [...lines] }, more };
  }
  const pages = paginate(title, lines);
  const page = Math.min(Math.max(0, view.page), pages.length - 1);
  const shown = pages[page] as { start: number; lines: string[] };
  const next = pages[page + 1];
  const range = (p: { start: number; lines: string[] }) => `${p.start + 1}–${p.start + p.lines.length} of ${lines.length}`;
  const heading = pages.length > 1 ? `${title} (${range(shown)})` : title;
  return { heading, shown, more: next ? step(page + 1, `More (${range(next)})`) : undefined };
}
