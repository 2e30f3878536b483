// Resolves the column references of a parsed SELECT (node-sql-parser's AST, Trino or Athena
// dialect) to the base-table columns they stand for, with how each is used. Aliases, CTEs,
// derived tables, UNNEST, set operations and subqueries are followed down to the tables; a column
// of a derived table is used however its consumer uses it. Anything it does not know is refused
// (UnreadableQuery), never guessed.

/** How a query uses a column, in the order answers list them. */
export const FEATURE_USES = ['selected', 'joinKey', 'filter', 'grouping', 'ordering', 'partition'] as const;
export type FeatureUse = (typeof FEATURE_USES)[number];

/** A base table a query reads, as it names it. */
export interface TableName {
  catalog?: string;
  database?: string;
  table: string;
}

/** A base-table column one reference may stand for: `certain` unless the reference was unqualified over several tables. */
export interface Candidate {
  /** Index into FeatureQuery.tables. */
  table: number;
  /** Column name, or '*' for every column of the table. */
  column: string;
  certain: boolean;
}

export interface ColumnReference {
  use: FeatureUse;
  candidates: readonly Candidate[];
}

export interface FeatureQuery {
  tables: TableName[];
  references: ColumnReference[];
}

export class UnreadableQuery extends Error {}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const lower = (text: string) => text.toLowerCase();

/** A column of a relation: named, fed by base-table columns, or every column of some sources (`*`). */
interface Output {
  name?: string;
  feeds: Candidate[];
  stars?: Source[];
  consumed: boolean;
}

interface Relation {
  outputs: Output[];
}

type Source = { kind: 'table'; index: number; names: string[] } | { kind: 'relation'; relation: Relation; names: string[] };

interface Scope {
  sources: Source[];
  parent: Scope | undefined;
  ctes: ReadonlyMap<string, Relation>;
}

/** Where the columns an expression mentions go: used in a clause, or into an output of the select list. */
type Sink = FeatureUse | Candidate[];

/** An identifier as the parser gives it: a string, { value }, or { expr: { value } }. */
function identifier(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isNode(value)) return undefined;
  if (typeof value['value'] === 'string') return value['value'];
  return identifier(value['expr']);
}

/** { type: 'expr', expr } wraps an expression in some lists. */
function unwrap(item: unknown): unknown {
  return isNode(item) && item['type'] === 'expr' && 'expr' in item ? item['expr'] : item;
}

/** The SELECT a node stands for, when it is a subquery. */
function subquery(node: Node): Node | undefined {
  if (node['type'] === 'select') return node;
  const ast = node['ast'];
  return isNode(ast) && ast['type'] === 'select' ? ast : undefined;
}

/** "t" or "t(a, b)", quoted or not. */
function alias(value: unknown): { name: string; columns?: string[] } | undefined {
  const text = identifier(value);
  if (text === undefined || text.trim() === '') return undefined;
  const unquote = (part: string) => part.trim().replace(/^"(.*)"$/s, '$1');
  const withColumns = /^(.*?)\s*\((.*)\)\s*$/s.exec(text);
  if (!withColumns) return { name: unquote(text) };
  return { name: unquote(withColumns[1] as string), columns: (withColumns[2] as string).split(',').map(unquote) };
}

function rename(relation: Relation, names: readonly string[]): void {
  if (relation.outputs.some((output) => output.stars)) throw new UnreadableQuery('it names the columns of a SELECT *');
  names.forEach((name, index) => {
    const output = relation.outputs[index];
    if (output) output.name = name;
  });
}

class Resolver {
  readonly tables: TableName[] = [];
  readonly references: ColumnReference[] = [];
  /** Every relation built, to find the columns a subquery selects that nothing consumes. */
  private readonly relations: Relation[] = [];

  run(ast: Node): FeatureQuery {
    const result = this.query(ast, undefined, new Map());
    // The query's own result is the training data: whatever it outputs is selected.
    for (const output of result.outputs) this.consume(output, 'selected');
    // A column a subquery outputs but nothing reads is still part of the query (changing it breaks
    // it): when the query uses it nowhere else, it counts as selected.
    const used = new Set(this.references.flatMap((r) => r.candidates.map((c) => `${c.table}:${lower(c.column)}`)));
    for (const relation of this.relations) {
      for (const output of relation.outputs) {
        if (output.consumed || output.stars) continue;
        this.emit('selected', output.feeds.filter((c) => !used.has(`${c.table}:${lower(c.column)}`)));
      }
    }
    return { tables: this.tables, references: this.references };
  }

  /** A SELECT with its WITH clause and set operations (UNION, INTERSECT, EXCEPT). */
  private query(ast: Node, parent: Scope | undefined, ctes: ReadonlyMap<string, Relation>): Relation {
    const visible = ast['with'] ? this.withClause(ast['with'], parent, ctes) : ctes;
    const branches: Relation[] = [];
    for (let node: unknown = ast; isNode(node); node = node['_next']) {
      if (node['type'] !== 'select') throw new UnreadableQuery('a set operation over something other than SELECT');
      branches.push(this.select(node, parent, visible));
    }
    const relation = branches.length === 1 ? (branches[0] as Relation) : mergeBranches(branches);
    this.relations.push(relation);
    return relation;
  }

  private withClause(items: unknown, parent: Scope | undefined, ctes: ReadonlyMap<string, Relation>): Map<string, Relation> {
    const visible = new Map(ctes);
    for (const item of list(items)) {
      const name = isNode(item) ? identifier(item['name']) : undefined;
      const statement = isNode(item) && isNode(item['stmt']) ? subquery(item['stmt']) : undefined;
      if (!isNode(item) || name === undefined || !statement) throw new UnreadableQuery('a WITH clause it does not know');
      const relation = this.query(statement, parent, visible);
      const columns = list(item['columns']).map((c) => (isNode(c) && c['type'] === 'column_ref' ? columnName(c) : identifier(c)));
      if (columns.length > 0) rename(relation, columns.map((c) => c ?? ''));
      visible.set(lower(name), relation);
    }
    return visible;
  }

  private select(node: Node, parent: Scope | undefined, ctes: ReadonlyMap<string, Relation>): Relation {
    const scope: Scope = { sources: [], parent, ctes };
    for (const item of list(node['from'])) this.fromItem(item, scope);
    const columns = node['columns'] === '*' ? [{ expr: { type: 'column_ref', column: '*' } }] : list(node['columns']);
    const outputs = columns.map((column) => this.selectItem(column, scope));
    this.expression(node['where'], scope, 'filter');
    this.expression(node['having'], scope, 'filter');
    const groupBy = isNode(node['groupby']) ? node['groupby']['columns'] : node['groupby'];
    for (const item of list(groupBy)) this.byItem(unwrap(item), outputs, scope, 'grouping');
    // ORDER BY items are { expr, type: 'ASC' | 'DESC' }.
    for (const item of list(node['orderby'])) this.byItem(isNode(item) ? unwrap(item['expr']) : item, outputs, scope, 'ordering');
    // WINDOW w AS (PARTITION BY … ORDER BY …): the walk reads partitionby and orderby as such.
    this.expression(node['window'], scope, 'partition');
    return { outputs };
  }

  /** GROUP BY / ORDER BY: a position or (ORDER BY) an output's name means that output. */
  private byItem(expr: unknown, outputs: Output[], scope: Scope, use: FeatureUse): void {
    if (isNode(expr) && expr['type'] === 'number' && typeof expr['value'] === 'number') {
      const output = outputs[expr['value'] - 1];
      if (output) this.consume(output, use);
      return;
    }
    if (use === 'ordering' && isNode(expr) && expr['type'] === 'column_ref' && !qualifier(expr)) {
      const name = columnName(expr);
      const named = outputs.filter((o) => name !== undefined && o.name !== undefined && lower(o.name) === lower(name));
      if (named.length > 0) {
        for (const output of named) this.consume(output, use);
        return;
      }
    }
    this.expression(expr, scope, use);
  }

  private fromItem(item: unknown, scope: Scope): void {
    if (!isNode(item)) throw new UnreadableQuery('a FROM clause it does not know');
    const named = alias(item['as']);
    let source: Source;
    const expr = item['expr'];
    if (typeof item['table'] === 'string' && !isNode(expr)) {
      const table = item['table'];
      const qualified = typeof item['db'] === 'string' || typeof item['schema'] === 'string';
      const cte = qualified ? undefined : scope.ctes.get(lower(table));
      if (cte) {
        source = { kind: 'relation', relation: cte, names: [named?.name ?? table] };
      } else {
        const name = tableName(item);
        source = { kind: 'table', index: this.table(name), names: named ? [named.name] : [table, ...(name.database ? [`${name.database}.${table}`] : [])] };
      }
    } else if (isNode(expr)) {
      const relation = this.derived(expr, scope, named?.columns);
      source = { kind: 'relation', relation, names: named ? [named.name] : [] };
    } else {
      throw new UnreadableQuery('a FROM clause it does not know');
    }
    const earlier = scope.sources.slice();
    scope.sources.push(source);
    this.expression(item['on'], scope, 'joinKey');
    for (const column of list(item['using'])) {
      const name = identifier(column);
      if (name === undefined) continue;
      this.emit('joinKey', this.inSources(earlier, name)?.feeds ?? []);
      this.emit('joinKey', this.inSource(source, name)?.feeds ?? []);
    }
  }

  /** A derived table: a subquery, VALUES or UNNEST(…), with its alias's column names. */
  private derived(expr: Node, scope: Scope, columns: string[] | undefined): Relation {
    const statement = subquery(expr);
    if (statement) {
      // A derived table sees the enclosing query's scope, not its siblings in FROM.
      const relation = this.query(statement, scope.parent, scope.ctes);
      if (columns) rename(relation, columns);
      return relation;
    }
    if (expr['type'] === 'values') return { outputs: (columns ?? []).map((name) => ({ name, feeds: [], consumed: false })) };
    const functionName = isNode(expr['name']) ? identifier(list(expr['name']['name'])[0]) : identifier(expr['name']);
    if (expr['type'] === 'function' && functionName !== undefined && lower(functionName) === 'unnest') {
      // UNNEST(c.tags) AS t(tag): each output comes from the arrays it unnests (FROM items before it are visible).
      const feeds: Candidate[] = [];
      this.expression(expr['args'], scope, feeds);
      const relation: Relation = { outputs: (columns ?? ['']).map((name) => ({ ...(name ? { name } : {}), feeds: [...feeds], consumed: false })) };
      this.relations.push(relation);
      return relation;
    }
    throw new UnreadableQuery(`a FROM item it does not know (${typeof expr['type'] === 'string' ? expr['type'].replace(/[^a-z_]/gi, '') : 'unnamed'})`);
  }

  private table(name: TableName): number {
    const key = [name.catalog, name.database, name.table].map((part) => lower(part ?? '')).join('.');
    const found = this.tables.findIndex((t) => [t.catalog, t.database, t.table].map((part) => lower(part ?? '')).join('.') === key);
    if (found !== -1) return found;
    this.tables.push(name);
    return this.tables.length - 1;
  }

  private selectItem(column: unknown, scope: Scope): Output {
    const expr = isNode(column) ? column['expr'] : undefined;
    if (isNode(expr) && expr['type'] === 'column_ref' && expr['column'] === '*') {
      const q = qualifier(expr);
      if (q === undefined) return { stars: scope.sources, feeds: [], consumed: false };
      const source = findSource(scope, q);
      if (!source) throw new UnreadableQuery('it selects every column of a table it does not read');
      return { stars: [source], feeds: [], consumed: false };
    }
    const feeds: Candidate[] = [];
    this.expression(expr, scope, feeds);
    const named = isNode(column) ? identifier(column['as']) : undefined;
    const name = named ?? (isNode(expr) && expr['type'] === 'column_ref' ? columnName(expr) : undefined);
    return { ...(name !== undefined ? { name } : {}), feeds, consumed: false };
  }

  /** Walks an expression: columns go to `sink`, except window PARTITION BY / ORDER BY, which are uses of their own. */
  private expression(node: unknown, scope: Scope, sink: Sink, bound?: ReadonlySet<string>): void {
    if (Array.isArray(node)) {
      for (const item of node) this.expression(item, scope, sink, bound);
      return;
    }
    if (!isNode(node)) return;
    const statement = subquery(node);
    if (statement) {
      // IN (SELECT …), EXISTS (SELECT …), a scalar subquery: what it outputs is used where it stands.
      const relation = this.query(statement, scope, scope.ctes);
      for (const output of relation.outputs) this.consume(output, sink);
      return;
    }
    if (node['type'] === 'column_ref') {
      this.columnRef(node, scope, sink, bound);
      return;
    }
    if (node['type'] === 'double_quote_string' && typeof node['value'] === 'string') {
      // "region" alone: in Trino a double-quoted name is always an identifier (strings take '…'),
      // though the grammar gives it as a string outside the select list.
      this.columnRef({ type: 'column_ref', column: node['value'] }, scope, sink, bound);
      return;
    }
    if (node['type'] === 'lambda') {
      // x -> upper(x): x is the lambda's own, not a column.
      const parameters = list(isNode(node['args']) ? node['args']['value'] : node['args']).map(identifier);
      const inner = new Set([...(bound ?? []), ...parameters.filter((p): p is string => p !== undefined).map(lower)]);
      this.expression(node['expr'], scope, sink, inner);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'partitionby') this.expression(value, scope, 'partition', bound);
      else if (key === 'orderby') this.expression(value, scope, 'ordering', bound);
      else if (key !== 'as' && key !== 'loc') this.expression(value, scope, sink, bound);
    }
  }

  private columnRef(node: Node, scope: Scope, sink: Sink, bound: ReadonlySet<string> | undefined): void {
    const name = columnName(node);
    if (name === undefined || name === '*') return;
    const q = qualifier(node);
    if (q === undefined && bound?.has(lower(name))) return;
    this.emit(sink, this.resolve(scope, q, name));
  }

  /** The base columns a reference stands for, looking outwards through enclosing queries. */
  private resolve(scope: Scope, q: string | undefined, name: string): Candidate[] {
    if (q !== undefined) {
      const source = findSource(scope, q);
      if (source) return this.inSource(source, name)?.feeds ?? [];
      // c.address.city or address.city: a field of a row-typed column, qualified or not.
      const [first, second] = q.split('.');
      const owner = second !== undefined && first !== undefined ? findSource(scope, first) : undefined;
      if (owner && second !== undefined) return this.inSource(owner, second)?.feeds ?? [];
      return first !== undefined && second === undefined ? this.resolve(scope, undefined, first) : [];
    }
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = this.inSources(s.sources, name);
      if (found) return found.feeds;
    }
    return [];
  }

  /** A name among several sources: the ones that name it outright win; otherwise every table may have it. */
  private inSources(sources: readonly Source[], name: string): { explicit: boolean; feeds: Candidate[] } | undefined {
    const found = sources.map((source) => this.inSource(source, name)).filter((f): f is NonNullable<typeof f> => f !== undefined);
    const explicit = found.filter((f) => f.explicit);
    if (explicit.length > 0) return { explicit: true, feeds: explicit.flatMap((f) => f.feeds) };
    if (found.length <= 1) return found[0];
    return { explicit: false, feeds: found.flatMap((f) => f.feeds.map((c) => ({ ...c, certain: false }))) };
  }

  private inSource(source: Source, name: string): { explicit: boolean; feeds: Candidate[] } | undefined {
    if (source.kind === 'table') return { explicit: false, feeds: [{ table: source.index, column: name, certain: true }] };
    const named = source.relation.outputs.filter((o) => !o.stars && o.name !== undefined && lower(o.name) === lower(name));
    if (named.length > 0) {
      for (const output of named) output.consumed = true;
      return { explicit: true, feeds: named.flatMap((o) => o.feeds) };
    }
    const stars = source.relation.outputs.flatMap((o) => o.stars ?? []);
    return stars.length > 0 ? this.inSources(stars, name) : undefined;
  }

  /** Every column of an output (all of a `*`'s sources) is used as `sink` says. */
  private consume(output: Output, sink: Sink): void {
    output.consumed = true;
    if (!output.stars) {
      this.emit(sink, output.feeds);
      return;
    }
    for (const source of output.stars) {
      if (source.kind === 'table') this.emit(sink, [{ table: source.index, column: '*', certain: true }]);
      else for (const inner of source.relation.outputs) this.consume(inner, sink);
    }
  }

  private emit(sink: Sink, feeds: readonly Candidate[]): void {
    if (feeds.length === 0) return;
    if (Array.isArray(sink)) sink.push(...feeds);
    else this.references.push({ use: sink, candidates: feeds });
  }
}

/** UNION and friends: the n-th output of every branch is the n-th output of the whole, named by the first. */
function mergeBranches(branches: readonly Relation[]): Relation {
  const width = Math.max(...branches.map((b) => b.outputs.length));
  const outputs: Output[] = [];
  for (let i = 0; i < width; i++) {
    const at = branches.flatMap((b) => (b.outputs[i] ? [b.outputs[i] as Output] : []));
    const stars = at.flatMap((o) => o.stars ?? []);
    const name = branches[0]?.outputs[i]?.name;
    outputs.push({ ...(name !== undefined ? { name } : {}), feeds: at.flatMap((o) => o.feeds), ...(stars.length > 0 ? { stars } : {}), consumed: false });
  }
  return { outputs };
}

function tableName(item: Node): TableName {
  const db = typeof item['db'] === 'string' ? item['db'] : undefined;
  const schema = typeof item['schema'] === 'string' ? item['schema'] : undefined;
  const table = item['table'] as string;
  // Trino's "catalog"."database"."table" comes as db, schema, table; "database"."table" as db, table.
  if (schema !== undefined) return { ...(db !== undefined ? { catalog: db } : {}), database: schema, table };
  return { ...(db !== undefined ? { database: db } : {}), table };
}

function columnName(node: Node): string | undefined {
  return node['column'] === '*' ? '*' : identifier(node['column']);
}

/** "t" in t.col, or "db.t" in db.t.col. */
function qualifier(node: Node): string | undefined {
  const table = identifier(node['table']);
  if (table === undefined) return undefined;
  const schema = identifier(node['schema']);
  return schema !== undefined ? `${schema}.${table}` : table;
}

function findSource(scope: Scope, q: string): Source | undefined {
  const wanted = lower(q);
  const last = wanted.split('.').pop() ?? wanted;
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const exact = s.sources.find((source) => source.names.some((n) => lower(n) === wanted));
    if (exact) return exact;
    const byTable = wanted.includes('.') ? s.sources.find((source) => source.kind === 'table' && source.names.some((n) => lower(n) === last)) : undefined;
    if (byTable) return byTable;
  }
  return undefined;
}

/** The tables a parsed statement reads and how it uses their columns; throws UnreadableQuery. */
export function resolveColumns(ast: unknown): FeatureQuery {
  const statements = list(ast);
  if (statements.length !== 1) throw new UnreadableQuery(statements.length === 0 ? 'it holds no statement' : 'it holds more than one statement');
  const statement = statements[0];
  if (!isNode(statement) || statement['type'] !== 'select') throw new UnreadableQuery('it is not a SELECT');
  return new Resolver().run(statement);
}
