// The reader for the feature-store queries that datasets record: decoding, parsing with the
// Trino/Athena grammar, and how each column of one offline-store table is used (selected, join
// key, filter, grouping, ordering, window partition), through aliases, CTEs and subqueries.
import { describe, expect, it } from 'vitest';
import {
  decodeFeatureQuery,
  FeatureQueryReader,
  isTable,
  isTableOrEarlier,
  looksCut,
  readFeatureQuery,
  usesOfTable,
  type FeatureQuery,
} from '../../src/lineage/feature-query.js';
import { base64 } from '../support/graph-builder.js';

const DB = 'sagemaker_featurestore';
const CUSTOMERS = 'customers_1700000000';
const CLAIMS = 'claims_1700000000';
const CUSTOMER_FEATURES = ['customer_id', 'age', 'tenure_months', 'region', 'event_time'];
const CLAIM_FEATURES = ['claim_id', 'customer_id', 'claim_amount', 'fraud', 'event_time'];

function parsed(sql: string): FeatureQuery {
  const reading = readFeatureQuery(sql);
  if (!reading.readable) throw new Error(`did not read (${reading.reason}): ${sql}`);
  return reading.query;
}

/** How the query uses each column of `table`: { column: uses }, with '*' for uses of every column. */
function uses(sql: string, table: string, known: readonly string[]): Record<string, string[]> | undefined {
  const found = usesOfTable(parsed(sql), (t) => t.table.toLowerCase() === table.toLowerCase(), known);
  if (!found) return undefined;
  return {
    ...(found.every.size > 0 ? { '*': [...found.every].sort() } : {}),
    ...Object.fromEntries([...found.columns].map(([column, set]) => [column, [...set].sort()])),
  };
}

describe('decodeFeatureQuery', () => {
  it('decodes base64 SQL, also wrapped over several lines', () => {
    const sql = `SELECT c.age, c.region FROM "${DB}"."${CUSTOMERS}" c WHERE c.event_time < '2025-10-01'`;
    expect(decodeFeatureQuery(base64(sql))).toBe(sql);
    expect(decodeFeatureQuery(base64(sql).replace(/(.{76})/g, '$1\n'))).toBe(sql);
    expect(decodeFeatureQuery(base64('select age from customers'))).toBe('select age from customers');
  });

  it.each([
    ['text that is not base64', 'not base64!'],
    ['base64 of text that is not SQL', base64('hello world')],
    ['base64 of bytes that are not UTF-8', Buffer.from([0xff, 0xfe, 0x53, 0x45, 0x4c]).toString('base64')],
    ['an empty string', ''],
  ])('%s → undefined', (_, text) => {
    expect(decodeFeatureQuery(text)).toBeUndefined();
  });

  it('tells a query stored at the 256 characters ml-lineage-helper cuts values to', () => {
    const sql = `SELECT c.age, c.region FROM "${DB}"."${CUSTOMERS}" c WHERE c.event_time < '2025-10-01' AND c.region IN ('north', 'south', 'east', 'west') AND c.tenure_months > 3 AND c.age > 18`;
    expect(looksCut(base64(sql).slice(0, 256))).toBe(true);
    expect(looksCut(base64(sql))).toBe(false);
  });
});

describe('how a query uses the columns of a table', () => {
  const demo = `SELECT c.age, c.tenure_months, cl.claim_amount, cl.fraud
FROM "${DB}"."${CLAIMS}" cl
JOIN "${DB}"."${CUSTOMERS}" c ON cl.customer_id = c.customer_id
WHERE cl.event_time < '2025-10-01'`;

  it('selected, join key and filter, by alias', () => {
    expect(uses(demo, CLAIMS, CLAIM_FEATURES)).toEqual({ claim_amount: ['selected'], fraud: ['selected'], customer_id: ['joinKey'], event_time: ['filter'] });
    expect(uses(demo, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], tenure_months: ['selected'], customer_id: ['joinKey'] });
    expect(parsed(demo).tables).toEqual([
      { database: DB, table: CLAIMS },
      { database: DB, table: CUSTOMERS },
    ]);
  });

  it('reads the hyphenated, epoch-suffixed names of quoted identifiers, and catalog.database.table', () => {
    expect(uses(`SELECT "age" FROM "${DB}"."customers-1699999999" WHERE "region" = 'north'`, 'customers-1699999999', CUSTOMER_FEATURES)).toEqual({
      age: ['selected'],
      region: ['filter'],
    });
    expect(parsed(`SELECT c.age FROM "AwsDataCatalog"."${DB}"."${CUSTOMERS}" c`).tables).toEqual([{ catalog: 'AwsDataCatalog', database: DB, table: CUSTOMERS }]);
    expect(uses(`SELECT "c"."age" FROM "${CUSTOMERS}" AS "c"`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'] });
  });

  it('a column used in several ways has every use; a column of an expression counts', () => {
    const sql = `SELECT region, CAST(avg(age) AS double) AS mean_age, COALESCE(max(tenure_months), 0) AS tenure
FROM ${CUSTOMERS} WHERE age > 18 GROUP BY region HAVING count(*) > 10 ORDER BY region`;
    expect(uses(sql, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({
      region: ['grouping', 'ordering', 'selected'],
      age: ['filter', 'selected'],
      tenure_months: ['selected'],
    });
  });

  it('GROUP BY and ORDER BY by position or output name use the output’s columns', () => {
    expect(uses(`SELECT region, count(*) AS n FROM ${CUSTOMERS} GROUP BY 1 ORDER BY n DESC, 1`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({
      region: ['grouping', 'ordering', 'selected'],
    });
    expect(uses(`SELECT c.age AS years FROM ${CUSTOMERS} c ORDER BY years`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['ordering', 'selected'] });
  });

  it('window PARTITION BY and ORDER BY are uses of their own, inside a CTE too', () => {
    const sql = `WITH latest AS (
  SELECT customer_id, age, row_number() OVER (PARTITION BY customer_id ORDER BY event_time DESC) AS rn
  FROM "${DB}"."${CUSTOMERS}"
)
SELECT l.age FROM latest l WHERE l.rn = 1`;
    expect(uses(sql, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], customer_id: ['partition'], event_time: ['ordering'] });
  });

  it('a CTE column is used however the outer query uses it, through renamed columns too', () => {
    const sql = `WITH base AS (SELECT customer_id AS id, age, region FROM "${DB}"."${CUSTOMERS}"),
profile (key, years) AS (SELECT id, age FROM base WHERE region = 'north')
SELECT p.years FROM profile p JOIN "${DB}"."${CLAIMS}" cl ON cl.customer_id = p.key`;
    expect(uses(sql, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], region: ['filter'], customer_id: ['joinKey'] });
    expect(uses(sql, CLAIMS, CLAIM_FEATURES)).toEqual({ customer_id: ['joinKey'] });
  });

  it('a derived table in FROM resolves to its table; a column it outputs that nothing reads still counts as selected', () => {
    const sql = `SELECT t.age FROM (SELECT c.age, c.region FROM "db"."${CUSTOMERS}" c WHERE c.tenure_months > 3) t`;
    expect(uses(sql, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], region: ['selected'], tenure_months: ['filter'] });
  });

  it('the SageMaker SDK dataset builder’s query: nested CTEs, dedup windows, UNION ALL, a join of two groups', () => {
    const sql = `WITH fg_base AS (WITH table_base AS (
SELECT *
FROM (
SELECT *, row_number() OVER (
PARTITION BY origin_base."customer_id", origin_base."event_time"
ORDER BY origin_base."api_invocation_time" DESC, origin_base."write_time" DESC
) AS dedup_row_base
FROM "${DB}"."customers-1699999999" origin_base
)
WHERE dedup_row_base = 1
),
deleted_base AS (
SELECT *
FROM (
SELECT *, row_number() OVER (
PARTITION BY origin_base."customer_id"
ORDER BY origin_base."event_time" DESC, origin_base."api_invocation_time" DESC, origin_base."write_time" DESC
) AS deleted_row_base
FROM "${DB}"."customers-1699999999" origin_base
WHERE is_deleted
)
WHERE deleted_row_base = 1
)
SELECT table_base."customer_id", table_base."age", table_base."event_time"
FROM (
SELECT table_base."customer_id", table_base."age", table_base."event_time"
FROM table_base
LEFT JOIN deleted_base ON table_base."customer_id" = deleted_base."customer_id"
WHERE deleted_base."customer_id" IS NULL
UNION ALL
SELECT table_base."customer_id", table_base."age", table_base."event_time"
FROM deleted_base
JOIN table_base ON table_base."customer_id" = deleted_base."customer_id" AND table_base."event_time" > deleted_base."event_time"
) AS table_base
),
fg_0 AS (
SELECT table_0."customer_id", table_0."fraud", table_0."event_time"
FROM "${DB}"."claims-1699999999" table_0
)
SELECT customer_id, age, "fraud.1"
FROM (
SELECT fg_base.customer_id, fg_base.age, fg_0."fraud" as "fraud.1", row_number() OVER (
PARTITION BY fg_base."customer_id"
ORDER BY fg_base."event_time" DESC, fg_0."event_time" DESC
) AS row_recent
FROM fg_base
JOIN fg_0 ON fg_base."customer_id" = fg_0."customer_id" AND from_unixtime(fg_base."event_time") >= from_unixtime(fg_0."event_time")
)
WHERE row_recent <= 1
LIMIT 1000`;
    expect(uses(sql, 'customers-1699999999', CUSTOMER_FEATURES)).toEqual({
      customer_id: ['filter', 'joinKey', 'partition', 'selected'],
      event_time: ['joinKey', 'ordering', 'partition'],
      age: ['selected'],
      api_invocation_time: ['ordering'],
      write_time: ['ordering'],
      is_deleted: ['filter'],
    });
    expect(uses(sql, 'claims-1699999999', CLAIM_FEATURES)).toEqual({ customer_id: ['joinKey'], fraud: ['selected'], event_time: ['joinKey', 'ordering'] });
  });

  it('SELECT * and t.* use every column of their tables, also through a CTE', () => {
    expect(uses(`SELECT * FROM "${DB}"."${CUSTOMERS}"`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ '*': ['selected'] });
    const both = `SELECT c.*, cl.fraud FROM ${CUSTOMERS} c JOIN ${CLAIMS} cl ON c.customer_id = cl.customer_id`;
    expect(uses(both, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ '*': ['selected'], customer_id: ['joinKey'] });
    expect(uses(both, CLAIMS, CLAIM_FEATURES)).toEqual({ fraud: ['selected'], customer_id: ['joinKey'] });
    const star = `SELECT * FROM ${CUSTOMERS} c JOIN ${CLAIMS} cl USING (customer_id)`;
    expect(uses(star, CLAIMS, CLAIM_FEATURES)).toEqual({ '*': ['selected'], customer_id: ['joinKey'] });
    expect(uses(`WITH x AS (SELECT * FROM ${CUSTOMERS}) SELECT * FROM x`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ '*': ['selected'] });
  });

  it('a * that the outer query reads by name uses only the columns it names', () => {
    expect(uses(`WITH x AS (SELECT * FROM ${CUSTOMERS}) SELECT age FROM x WHERE region = 'north'`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({
      age: ['selected'],
      region: ['filter'],
    });
  });

  it('unqualified columns over a join go to the table that has them; one both have goes to both', () => {
    const sql = `SELECT age, claim_amount, event_time FROM ${CUSTOMERS} JOIN ${CLAIMS} ON ${CUSTOMERS}.customer_id = ${CLAIMS}.customer_id`;
    expect(uses(sql, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], event_time: ['selected'], customer_id: ['joinKey'] });
    expect(uses(sql, CLAIMS, CLAIM_FEATURES)).toEqual({ claim_amount: ['selected'], event_time: ['selected'], customer_id: ['joinKey'] });
  });

  it('every unqualified column of a single-table query is that table’s, known or not', () => {
    expect(uses(`SELECT age, not_a_feature FROM ${CUSTOMERS}`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], not_a_feature: ['selected'] });
  });

  it('comma joins, LEFT OUTER JOIN and CROSS JOIN UNNEST', () => {
    expect(uses(`SELECT c.age, cl.fraud FROM ${CUSTOMERS} c, ${CLAIMS} cl WHERE c.customer_id = cl.customer_id`, CLAIMS, CLAIM_FEATURES)).toEqual({
      fraud: ['selected'],
      customer_id: ['filter'],
    });
    expect(uses(`SELECT c.age FROM ${CUSTOMERS} c LEFT OUTER JOIN ${CLAIMS} cl ON c.customer_id = cl.customer_id`, CLAIMS, CLAIM_FEATURES)).toEqual({
      customer_id: ['joinKey'],
    });
    expect(uses(`SELECT c.age, t.tag FROM ${CUSTOMERS} c CROSS JOIN UNNEST(c.region) AS t(tag)`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({
      age: ['selected'],
      region: ['selected'],
    });
  });

  it('subqueries in WHERE: IN, EXISTS and scalar ones (the Athena grammar reads what the Trino one refuses)', () => {
    const inList = `SELECT age FROM ${CUSTOMERS} WHERE customer_id IN (SELECT customer_id FROM ${CLAIMS} WHERE fraud = 1)`;
    expect(uses(inList, CLAIMS, CLAIM_FEATURES)).toEqual({ customer_id: ['filter'], fraud: ['filter'] });
    expect(uses(inList, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], customer_id: ['filter'] });
    const exists = `SELECT c.age, (SELECT max(cl.claim_amount) FROM ${CLAIMS} cl WHERE cl.customer_id = c.customer_id) AS top
FROM ${CUSTOMERS} c WHERE EXISTS (SELECT 1 FROM ${CLAIMS} x WHERE x.customer_id = c.customer_id AND x.fraud = 1)`;
    expect(uses(exists, CLAIMS, CLAIM_FEATURES)).toEqual({ claim_amount: ['selected'], customer_id: ['filter'], fraud: ['filter'] });
    expect(uses(exists, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], customer_id: ['filter'] });
  });

  it('UNION ALL: each branch’s columns are selected', () => {
    const sql = `SELECT age FROM ${CUSTOMERS} WHERE region = 'north' UNION ALL SELECT tenure_months FROM ${CUSTOMERS}`;
    expect(uses(sql, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({ age: ['selected'], region: ['filter'], tenure_months: ['selected'] });
  });

  it('a lambda’s parameter is not a column', () => {
    expect(uses(`SELECT transform(region, age -> upper(age)) FROM ${CUSTOMERS} c JOIN ${CLAIMS} cl ON c.customer_id = cl.customer_id`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({
      region: ['selected'],
      customer_id: ['joinKey'],
    });
  });

  it('comments are not read', () => {
    expect(uses(`-- churn set\nSELECT /* label */ age -- , region\nFROM ${CUSTOMERS} /* JOIN ${CLAIMS} */ WHERE age > 18`, CUSTOMERS, CUSTOMER_FEATURES)).toEqual({
      age: ['filter', 'selected'],
    });
    expect(parsed(`SELECT age FROM ${CUSTOMERS} /* JOIN ${CLAIMS} */`).tables).toEqual([{ table: CUSTOMERS }]);
  });

  it('a table the query does not read gets nothing, even when the column names match', () => {
    expect(uses(`SELECT customer_id, age FROM ${CUSTOMERS}`, CLAIMS, CLAIM_FEATURES)).toBeUndefined();
  });
});

describe('queries that cannot be read', () => {
  it.each([
    ['a syntax error', `SELECT FROM WHERE ${CUSTOMERS}`, /^the Trino grammar stops at line 1, column \d+; the Athena grammar stops at line 1, column \d+$/],
    ['a query cut short', `SELECT c.age, c.region FROM "${DB}"."${CUSTOMERS}" c WHERE c.event_time < '2025-10-01' AND c.region IN ('north', 'so`, /grammar stops at line 1/],
    ['not a SELECT', `INSERT INTO t SELECT age FROM ${CUSTOMERS}`, /^it is not a SELECT$/],
    ['two statements', `SELECT 1; SELECT age FROM ${CUSTOMERS}`, /^it holds more than one statement$/],
    ['t.* of a table it does not read', `SELECT x.* FROM ${CUSTOMERS} c`, /^it selects every column of a table it does not read$/],
    ['an empty query', '   ', /^the query is empty$/],
  ])('%s: unreadable, with a reason', (_, sql, reason) => {
    const reading = readFeatureQuery(sql);
    expect(reading.readable).toBe(false);
    expect(!reading.readable && reading.reason).toMatch(reason);
  });

  it('the reason quotes nothing of the query', () => {
    const reading = readFeatureQuery(`SELECT age FROM ${CUSTOMERS} WHERE ssn = '123-45-6789' AND <!channel> 'x'`);
    expect(reading.readable).toBe(false);
    const reason = reading.readable ? '' : reading.reason;
    expect(reason).not.toMatch(/123|ssn|channel|<|'/);
  });
});

describe('matching a query’s table to a feature group', () => {
  const store = { table: 'customers_1762300800', database: DB };
  const group = { name: 'customers', store };

  it('today’s table, case-insensitively, in the same database or an unnamed one', () => {
    expect(isTable({ database: DB, table: 'CUSTOMERS_1762300800' }, store)).toBe(true);
    expect(isTable({ table: 'customers_1762300800' }, store)).toBe(true);
    expect(isTable({ database: 'other_db', table: 'customers_1762300800' }, store)).toBe(false);
    expect(isTable({ database: DB, table: 'customers_1761958800' }, store)).toBe(false);
  });

  it('an earlier epoch table of the same group, with _ or -', () => {
    expect(isTableOrEarlier({ database: DB, table: 'customers_1761958800' }, group)).toBe(true);
    expect(isTableOrEarlier({ database: DB, table: 'customers-1761958800' }, group)).toBe(true);
    expect(isTableOrEarlier({ database: DB, table: 'claims-v2-1761958800' }, { name: 'claims-v2', store: { table: 'claims_v2_1762214400', database: DB } })).toBe(true);
  });

  it('not another group’s table, nor a name without an epoch, nor another database', () => {
    expect(isTableOrEarlier({ database: DB, table: 'customers_v2_1761958800' }, group)).toBe(false);
    expect(isTableOrEarlier({ database: DB, table: 'claims_v2_1761958800' }, { name: 'claims', store: { table: 'claims_1762214400', database: DB } })).toBe(false);
    expect(isTableOrEarlier({ database: DB, table: 'customers' }, group)).toBe(false);
    expect(isTableOrEarlier({ database: 'other_db', table: 'customers_1761958800' }, group)).toBe(false);
  });

  it('a table named by hand (not <group>_<epoch>) has earlier names of its own stem', () => {
    const custom = { name: 'customers', store: { table: 'cust_profile_1762300800' } };
    expect(isTableOrEarlier({ table: 'cust_profile_1761958800' }, custom)).toBe(true);
  });
});

describe('FeatureQueryReader', () => {
  it('reads each distinct query once and tells of an unreadable one once, with where it was found', () => {
    const told: [string, string][] = [];
    const reader = new FeatureQueryReader({ onUnreadable: (where, reason) => told.push([where, reason]) });
    const good = `SELECT age FROM ${CUSTOMERS}`;
    const first = reader.read(good, 'dataset-1');
    expect(reader.read(good, 'dataset-2')).toBe(first);
    expect(reader.readEncoded(base64('SELECT FROM WHERE'), 'dataset-3').readable).toBe(false);
    expect(reader.readEncoded(base64('SELECT FROM WHERE'), 'dataset-4').readable).toBe(false);
    expect(reader.readEncoded('not base64!', 'dataset-5')).toEqual({ readable: false, reason: 'it is not base64 of SQL text' });
    expect(told.map(([where]) => where)).toEqual(['dataset-3', 'dataset-5']);
  });
});
