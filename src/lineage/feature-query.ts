// Reads the feature-store queries that the helper library records on datasets
// (property Base64FeatureStoreQueryString): which offline-store tables they read and which
// columns they select. A small, forgiving reader for the SELECT … FROM … JOIN … queries that
// Athena-backed feature-store queries are; anything it cannot read is reported as unknown,
// never guessed.

export interface TableReference {
  database?: string;
  table: string;
  alias?: string;
}

export interface SelectedColumn {
  /** Table name or alias before the dot, if any. */
  qualifier?: string;
  /** Column name, or '*' for "every column". */
  name: string;
}

export interface FeatureQuery {
  sql: string;
  tables: TableReference[];
  columns: SelectedColumn[];
}

/** Decodes a base64 query; undefined when the text is not base64 of printable SQL. */
export function decodeFeatureQuery(base64: string): string | undefined {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(trimmed)) return undefined;
  const text = Buffer.from(trimmed, 'base64').toString('utf8');
  return /\bselect\b/i.test(text) && !text.includes('\uFFFD') ? text : undefined;
}

const IDENTIFIER = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$-]*)`;
const CLAUSE_END = /\b(where|group\s+by|order\s+by|having|limit|union|except|intersect)\b/i;
/** Keywords that may follow a table; never read as its alias (so "t JOIN u" keeps u as a table). */
const NOT_ALIAS = ['on', 'using', 'join', 'inner', 'left', 'right', 'full', 'cross', 'outer', 'natural', 'where', 'group', 'order', 'limit', 'having', 'union'];

function unquote(identifier: string): string {
  return identifier.replace(/^["`](.*)["`]$/, '$1');
}

/** Replaces parenthesised text with spaces so that commas and keywords inside it are ignored. */
function maskParentheses(sql: string): string {
  let depth = 0;
  let masked = '';
  for (const char of sql) {
    if (char === '(') depth++;
    masked += depth > 0 ? ' ' : char;
    if (char === ')') depth = Math.max(0, depth - 1);
  }
  return masked;
}

function splitTopLevel(text: string, masked: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function parseSelectItem(item: string): SelectedColumn[] {
  const withoutAlias = item.replace(new RegExp(String.raw`\s+(?:as\s+)?${IDENTIFIER}$`, 'i'), '');
  const expression = /^[\w"`.*$-]+$/.test(withoutAlias) ? withoutAlias : item;
  const whole = new RegExp(String.raw`^(?:(${IDENTIFIER})\s*\.\s*)?(${IDENTIFIER}|\*)$`).exec(expression);
  if (whole) {
    const [, qualifier, name] = whole;
    return [{ ...(qualifier ? { qualifier: unquote(qualifier) } : {}), name: unquote(name as string) }];
  }
  // An expression (CAST(c.age AS double), COALESCE(…)): every qualified column it mentions.
  const mentioned = [...item.matchAll(new RegExp(String.raw`(${IDENTIFIER})\s*\.\s*(${IDENTIFIER})`, 'g'))];
  return mentioned.map(([, qualifier, name]) => ({ qualifier: unquote(qualifier as string), name: unquote(name as string) }));
}

/** Parses a feature-store query; undefined when it has no SELECT … FROM. */
export function parseFeatureQuery(sql: string): FeatureQuery | undefined {
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const masked = maskParentheses(text);
  const select = /\bselect\s+(distinct\s+)?/i.exec(masked);
  const from = select ? /\bfrom\b/i.exec(masked.slice(select.index + select[0].length)) : null;
  if (!select || !from) return undefined;
  const listStart = select.index + select[0].length;
  const listEnd = listStart + from.index;
  const columns = splitTopLevel(text.slice(listStart, listEnd), masked.slice(listStart, listEnd)).flatMap(parseSelectItem);

  const fromStart = listEnd + from[0].length;
  const rest = masked.slice(fromStart);
  const end = CLAUSE_END.exec(rest);
  const fromClause = text.slice(fromStart, fromStart + (end ? end.index : rest.length));
  const maskedFrom = masked.slice(fromStart, fromStart + (end ? end.index : rest.length));
  const tables: TableReference[] = [];
  const tablePattern = new RegExp(
    String.raw`(?:^|,|\bjoin\b)\s*(${IDENTIFIER})(?:\s*\.\s*(${IDENTIFIER}))?(?:\s*\.\s*(${IDENTIFIER}))?(?:\s+(?:as\s+)?(?!(?:${NOT_ALIAS.join('|')})\b)(${IDENTIFIER}))?`,
    'gid',
  );
  // Matched on the masked text (same offsets), read from the original so quoted names survive.
  const read = (indices: [number, number] | undefined) => (indices ? fromClause.slice(indices[0], indices[1]) : undefined);
  const columnsFromSubqueries: SelectedColumn[] = [];
  for (const match of maskedFrom.matchAll(tablePattern)) {
    const groups = match.indices ?? [];
    const first = groups[1];
    const before = first ? fromClause.slice(match.index, first[0]) : '';
    if (before.includes('(')) {
      // A derived table, FROM (SELECT …) t: its own FROM names the real tables, its SELECT what is used.
      const open = match.index + before.indexOf('(');
      const inner = parseFeatureQuery(fromClause.slice(open + 1, closingParenthesis(fromClause, open)));
      if (inner) {
        tables.push(...inner.tables);
        columnsFromSubqueries.push(...inner.columns.filter((c) => c.name !== '*' || c.qualifier === undefined));
      }
      continue;
    }
    const names = [read(groups[1]), read(groups[2]), read(groups[3])]
      .filter((part): part is string => part !== undefined)
      .map(unquote);
    const table = names[names.length - 1] as string;
    const database = names.length > 1 ? names[names.length - 2] : undefined;
    const aliasText = read(groups[4]);
    const alias = aliasText ? unquote(aliasText) : undefined;
    tables.push({ ...(database ? { database } : {}), table, ...(alias ? { alias } : {}) });
  }
  return { sql, tables, columns: [...columns, ...columnsFromSubqueries] };
}

/** Index of the parenthesis closing the one at `open` (or the end of the text). */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

/**
 * The columns a query selects from one table. `knownColumns` (the table's features) decides
 * unqualified columns when the query reads several tables. Returns ['*'] for "every column".
 */
export function columnsSelectedFrom(query: FeatureQuery, tableName: string, knownColumns: readonly string[]): string[] {
  const lower = tableName.toLowerCase();
  const references = query.tables.filter((t) => t.table.toLowerCase() === lower);
  if (references.length === 0) return [];
  const qualifiers = new Set(references.flatMap((t) => [t.table.toLowerCase(), ...(t.alias ? [t.alias.toLowerCase()] : [])]));
  const known = new Set(knownColumns.map((c) => c.toLowerCase()));
  const single = query.tables.length === 1;
  const selected = new Set<string>();
  for (const column of query.columns) {
    const mine = column.qualifier ? qualifiers.has(column.qualifier.toLowerCase()) : single || column.name === '*' || known.has(column.name.toLowerCase());
    if (!mine) continue;
    if (column.name === '*') {
      if (column.qualifier || single) return ['*'];
      continue; // an unqualified * over a join: every table's columns, listed below as '*'
    }
    selected.add(column.name);
  }
  if (query.columns.some((c) => c.name === '*' && !c.qualifier)) return ['*'];
  return [...selected];
}
