// Reads the feature-store queries that datasets record (property Base64FeatureStoreQueryString):
// which offline-store tables they read, and how they use each column of those tables — selected
// into the training data, joined on, filtered on, grouped, ordered or partitioned by. The SQL is
// parsed by node-sql-parser in the Trino dialect (Athena engine 3 is Trino), falling back to its
// Athena (Presto) dialect for the few forms the Trino grammar rejects, such as scalar subqueries.
// Aliases, CTEs, derived tables, UNNEST and subqueries are resolved to the base tables' columns.
// A query it cannot read is reported as such, with a reason that quotes nothing from the query.
import { createRequire } from 'node:module';
import { LRUCache } from 'lru-cache';
import { resolveColumns, UnreadableQuery, type FeatureQuery, type FeatureUse, type TableName } from './sql-columns.js';

export { FEATURE_USES, type Candidate, type ColumnReference, type FeatureQuery, type FeatureUse, type TableName } from './sql-columns.js';

export type QueryReading = { readable: true; query: FeatureQuery } | { readable: false; reason: string };

/** ml-lineage-helper cuts property values at this many characters; a query stored that long is most likely cut. */
export const HELPER_QUERY_CUT = 256;

/** Decodes a base64 query; undefined when the text is not base64 of printable SQL. */
export function decodeFeatureQuery(base64: string): string | undefined {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(trimmed)) return undefined;
  const text = Buffer.from(trimmed, 'base64').toString('utf8');
  return /\bselect\b/i.test(text) && !text.includes('\uFFFD') ? text : undefined;
}

/** True when an encoded query has exactly the length ml-lineage-helper cuts values to. */
export function looksCut(base64: string): boolean {
  return base64.replace(/\s+/g, '').length === HELPER_QUERY_CUT;
}

interface SqlParser {
  astify(sql: string): unknown;
}

/** Tried in order. Each is node-sql-parser's build of one dialect (~200 kB), loaded when first needed. */
const DIALECTS = [
  { name: 'Trino', module: 'node-sql-parser/build/trino.js' },
  { name: 'Athena', module: 'node-sql-parser/build/athena.js' },
] as const;

function parser(module: string): SqlParser {
  const { Parser } = createRequire(import.meta.url)(module) as { Parser: new () => SqlParser };
  return new Parser();
}

/**
 * Why a dialect refused the query, without quoting it: a syntax error says where it stopped (the
 * parser's own message quotes the text it found there).
 */
function refusal(dialect: string, error: unknown): string {
  const start = (error as { location?: { start?: { line?: unknown; column?: unknown } } })?.location?.start;
  if (typeof start?.line === 'number' && typeof start.column === 'number') {
    return `the ${dialect} grammar stops at line ${start.line}, column ${start.column}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // Not a syntax error: the grammar's own checks ("invalid column clause…") quote nothing, but keep it to letters.
  return `the ${dialect} grammar refuses it (${message.replace(/[^A-Za-z ,-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80)})`;
}

/** Parses a query and resolves what it reads; never throws. */
export function readFeatureQuery(sql: string): QueryReading {
  if (sql.trim() === '') return { readable: false, reason: 'the query is empty' };
  const refusals: string[] = [];
  for (const dialect of DIALECTS) {
    let ast: unknown;
    try {
      ast = parser(dialect.module).astify(sql);
    } catch (error) {
      refusals.push(refusal(dialect.name, error));
      continue;
    }
    try {
      return { readable: true, query: resolveColumns(ast) };
    } catch (error) {
      if (error instanceof UnreadableQuery) return { readable: false, reason: error.message };
      throw error;
    }
  }
  return { readable: false, reason: refusals.join('; ') };
}

/** What a query does with the columns of one table. */
export interface TableUses {
  /** Uses that apply to every column of the table (SELECT *, t.*). */
  every: Set<FeatureUse>;
  /** Uses of each column, by lower-case name. */
  columns: Map<string, Set<FeatureUse>>;
}

/**
 * How a query uses the columns of the tables `matches` accepts; undefined when it reads none of
 * them. `knownColumns` (the table's features) decides unqualified columns over several tables.
 */
export function usesOfTable(query: FeatureQuery, matches: (table: TableName) => boolean, knownColumns: readonly string[]): TableUses | undefined {
  const tables = new Set(query.tables.flatMap((table, index) => (matches(table) ? [index] : [])));
  if (tables.size === 0) return undefined;
  const known = new Set(knownColumns.map((c) => c.toLowerCase()));
  const uses: TableUses = { every: new Set(), columns: new Map() };
  for (const reference of query.references) {
    for (const candidate of reference.candidates) {
      if (!tables.has(candidate.table)) continue;
      if (candidate.column === '*') {
        uses.every.add(reference.use);
        continue;
      }
      const column = candidate.column.toLowerCase();
      if (!candidate.certain && !known.has(column)) continue;
      let set = uses.columns.get(column);
      if (!set) uses.columns.set(column, (set = new Set()));
      set.add(reference.use);
    }
  }
  return uses;
}

/** A feature group's offline-store table, as DescribeFeatureGroup names it. */
export interface OfflineTable {
  table: string;
  database?: string;
}

const sameDatabase = (name: TableName, store: OfflineTable) =>
  name.database === undefined || store.database === undefined || name.database.toLowerCase() === store.database.toLowerCase();

/** True when the query's table is the group's offline-store table today. */
export function isTable(name: TableName, store: OfflineTable): boolean {
  return name.table.toLowerCase() === store.table.toLowerCase() && sameDatabase(name, store);
}

/** Glue table names are `<group>_<creation epoch>`; the S3 folder and some tools write `-` for `_`. */
const EPOCH_SUFFIX = /^(.+)_(\d{9,13})$/;
const normalised = (name: string) => name.toLowerCase().replace(/-/g, '_');

/**
 * True when the query's table is the group's offline-store table, today's or an earlier one: the
 * table is re-created with a new epoch suffix, so a query recorded at training time can name an
 * older `<group>_<epoch>` than DescribeFeatureGroup shows. Only for datasets that lineage already
 * links to the group: the name alone does not prove it.
 */
export function isTableOrEarlier(name: TableName, group: { name: string; store: OfflineTable }): boolean {
  if (isTable(name, group.store)) return true;
  if (!sameDatabase(name, group.store)) return false;
  const stem = EPOCH_SUFFIX.exec(normalised(name.table))?.[1];
  if (stem === undefined) return false;
  const currentStem = EPOCH_SUFFIX.exec(normalised(group.store.table))?.[1];
  return stem === normalised(group.name) || stem === currentStem;
}

export interface QueryReaderOptions {
  /** Told once per distinct query that cannot be read, with where it was found and why. */
  onUnreadable?: (where: string, reason: string) => void;
  maxEntries?: number;
}

/**
 * Reads queries with a bounded memory of the ones already read: answers read the same few queries
 * again and again, and parsing one costs a millisecond or more.
 */
export class FeatureQueryReader {
  private readonly readings: LRUCache<string, QueryReading>;

  constructor(private readonly options: QueryReaderOptions = {}) {
    this.readings = new LRUCache({ max: options.maxEntries ?? 1000 });
  }

  /** Reads a base64 query as datasets record it. */
  readEncoded(base64: string, where: string): QueryReading {
    const sql = decodeFeatureQuery(base64);
    if (sql !== undefined) return this.read(sql, where);
    const reading: QueryReading = { readable: false, reason: 'it is not base64 of SQL text' };
    if (!this.readings.has(base64)) {
      this.readings.set(base64, reading);
      this.options.onUnreadable?.(where, reading.reason);
    }
    return reading;
  }

  read(sql: string, where: string): QueryReading {
    let reading = this.readings.get(sql);
    if (!reading) {
      reading = readFeatureQuery(sql);
      this.readings.set(sql, reading);
      if (!reading.readable) this.options.onUnreadable?.(where, reading.reason);
    }
    return reading;
  }
}
