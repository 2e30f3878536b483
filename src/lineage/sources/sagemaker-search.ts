// Name search over SageMaker: ListFeatureGroups NameContains, Search over models and endpoints,
// and DataSet artifacts whose SourceUri contains the text. Each kind stops paging once it has
// `limit` hits, and a text that no name of a kind can contain costs no call at all.
// Also the exact lookups by tag (App Home) and by name (recognising a message's words), both
// SageMaker Search with OR-ed Equals filters, paged to the end.
import { classifyEntity } from '../classify.js';
import { NotAuthorized, SourceUnavailable, Throttled } from '../errors.js';
import { mapPool } from '../pool.js';
import type { DataSourceSearch, FeatureGroupClues, FeatureGroupFeed, ResourceHit, ResourceKind, SearchableKind, TaggedHit } from '../lineage-source.js';
import {
  lineageResponseToEntity,
  SEARCH_FILTERS_PER_EXPRESSION,
  type EqualsFilter,
  type LineageSummary,
  type NamedResource,
  type SageMakerResponses,
  type SearchedResource,
  type SearchFilter,
} from './sagemaker-responses.js';

/** The data sets one data-source search reads at most (ten ListArtifacts pages). */
export const DATA_SETS_READ = 1_000;

/** Characters (and length) SageMaker allows in each kind's names. */
const NAME_TEXT: Record<'FeatureGroup' | 'Model' | 'Endpoint', RegExp> = {
  FeatureGroup: /^[A-Za-z0-9_-]{0,64}$/,
  Model: /^[A-Za-z0-9-]{0,63}$/,
  Endpoint: /^[A-Za-z0-9-]{0,63}$/,
};

export async function searchSageMaker(
  responses: SageMakerResponses,
  concurrency: number,
  text: string,
  kinds: readonly ResourceKind[],
  limit: number,
): Promise<ResourceHit[]> {
  if (limit <= 0) return [];
  const needle = text.toLowerCase();
  const matches = (value: string) => value.toLowerCase().includes(needle);
  const enough = (found: readonly NamedResource[]) => found.filter((f) => matches(f.name)).length >= limit;
  const hitsOf = (kind: ResourceKind) => (found: NamedResource[]) => found.map((f): ResourceHit => ({ kind, ...f }));

  const finders: Record<ResourceKind, () => Promise<ResourceHit[]>> = {
    FeatureGroup: async () =>
      NAME_TEXT.FeatureGroup.test(text)
        ? hitsOf('FeatureGroup')(await responses.listFeatureGroupSummaries(text || undefined, enough))
        : [],
    Model: async () =>
      NAME_TEXT.Model.test(text) ? hitsOf('Model')(await responses.searchNames('Model', text, enough)) : [],
    Endpoint: async () =>
      NAME_TEXT.Endpoint.test(text) ? hitsOf('Endpoint')(await responses.searchNames('Endpoint', text, enough)) : [],
    DataSource: async () => (await findDataSources(responses, concurrency, matches, limit)).hits,
  };
  const perKind = await Promise.all(kinds.map((kind) => finders[kind]()));
  // SageMaker's own matching may differ in case sensitivity; the port promises case-insensitive substrings.
  return perKind.flatMap((hits) =>
    hits
      .filter((hit) => matches(hit.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, limit),
  );
}

/** The Search property holding each searchable kind's name. */
const NAME_PROPERTY: Record<SearchableKind, string> = { FeatureGroup: 'FeatureGroupName', Model: 'ModelName', Endpoint: 'EndpointName' };

/**
 * Searches `kind` for records matching any of `filters`, in as many searches as SageMaker's
 * 20-filter limit needs (run side by side), each paged to the end; a record found twice is kept once.
 */
async function searchAny(
  responses: SageMakerResponses,
  concurrency: number,
  kinds: readonly SearchableKind[],
  filtersOf: (kind: SearchableKind) => EqualsFilter[],
): Promise<{ kind: SearchableKind; found: SearchedResource }[]> {
  const searches = kinds.flatMap((kind) => chunks(filtersOf(kind), SEARCH_FILTERS_PER_EXPRESSION).map((filters) => ({ kind, filters })));
  const pages = await mapPool(searches, concurrency, async ({ kind, filters }) =>
    (await responses.searchEquals(kind, filters)).map((found) => ({ kind, found })),
  );
  const byArn = new Map(pages.flat().map((hit) => [hit.found.arn, hit]));
  return [...byArn.values()];
}

/** Models and endpoints (or feature groups) whose tag under one of `keys` is one of `values`: Search on `Tags.<key>`. */
export async function findTaggedSageMaker(
  responses: SageMakerResponses,
  concurrency: number,
  kinds: readonly SearchableKind[],
  keys: readonly string[],
  values: readonly string[],
): Promise<TaggedHit[]> {
  const filters = [...new Set(keys)].flatMap((key) => [...new Set(values)].map((value) => ({ name: `Tags.${key}`, value })));
  const hits = await searchAny(responses, concurrency, kinds, () => filters);
  return hits.map(({ kind, found }) => ({ kind, name: found.name, arn: found.arn, tags: Object.fromEntries(found.tags.map((t) => [t.Key, t.Value])) }));
}

/**
 * Resources named one of `names` without regard to case. SageMaker's Equals is exact, so each
 * name is asked as written and in lower case (how names are usually typed); a name the kind
 * cannot have costs nothing.
 */
export async function findNamedSageMaker(
  responses: SageMakerResponses,
  concurrency: number,
  names: readonly string[],
  kinds: readonly SearchableKind[],
): Promise<ResourceHit[]> {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const forms = [...new Set(names.flatMap((name) => [name, name.toLowerCase()]))].filter((name) => name !== '');
  const hits = await searchAny(responses, concurrency, kinds, (kind) =>
    forms.filter((form) => NAME_TEXT[kind].test(form)).map((value) => ({ name: NAME_PROPERTY[kind], value })),
  );
  return kinds.flatMap((kind) =>
    hits
      .filter((hit) => hit.kind === kind && wanted.has(hit.found.name.toLowerCase()))
      .map(({ found }): ResourceHit => ({ kind, name: found.name, arn: found.arn }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}

const RESOLVED_STORE = 'OfflineStoreConfig.S3StorageConfig.ResolvedOutputS3Uri';
const STORE_TABLE = 'OfflineStoreConfig.DataCatalogConfig.TableName';
/** The folder SageMaker writes a group's offline store in: <S3Uri>/<account>/sagemaker/<region>/offline-store/<table with - for _>/. */
const STORE_FOLDER = /\/\d{12}\/sagemaker\/[a-z0-9-]+\/offline-store\/([^/]+)/;

/** The URI and every folder above it, below the bucket, with and without the closing slash. */
function s3Ancestors(uri: string): string[] {
  const match = /^(s3:\/\/[^/]+)((?:\/[^/]+)*)\/?$/.exec(uri);
  if (!match) return [];
  const [, bucket, path] = match as unknown as [string, string, string];
  const parts = path.split('/').filter(Boolean);
  return parts.flatMap((_, i) => {
    const folder = `${bucket}/${parts.slice(0, i + 1).join('/')}`;
    return [folder, `${folder}/`];
  });
}

/**
 * Feature groups the clues may point at, without listing the account: SageMaker Search on the
 * offline store's resolved location (the channel's URI or a folder above it; or below it, one
 * Contains search per URI) and on its Glue table (named by a query, or by the store folder of an
 * older group without a resolved location). A superset: the caller decides on the evidence.
 */
export async function findFeatureGroupsByStore(responses: SageMakerResponses, concurrency: number, clues: FeatureGroupClues): Promise<NamedResource[]> {
  const tables = [
    ...clues.tables.flatMap((table) => [table, table.toLowerCase()]),
    ...clues.uris.flatMap((uri) => {
      const folder = STORE_FOLDER.exec(uri)?.[1];
      return folder ? [folder.replace(/-/g, '_').toLowerCase()] : [];
    }),
  ];
  const equals = [
    ...[...new Set(clues.uris.flatMap(s3Ancestors))].map((value) => ({ name: RESOLVED_STORE, value })),
    ...[...new Set(tables)].map((value) => ({ name: STORE_TABLE, value })),
  ];
  const contains = [...new Set(clues.uris.map((uri) => uri.replace(/\/+$/, '')))].map((value) => [{ name: RESOLVED_STORE, value, operator: 'Contains' as const }]);
  const searches = [...chunks(equals, SEARCH_FILTERS_PER_EXPRESSION), ...contains];
  const found = await mapPool(searches, concurrency, (filters) => responses.searchEquals('FeatureGroup', filters));
  return [...new Map(found.flat().map((hit) => [hit.arn, { name: hit.name, arn: hit.arn }])).values()];
}

const iso = (ms: number) => new Date(ms).toISOString();
const createdIn = (from: number, to: number): SearchFilter[] => [
  { name: 'CreationTime', operator: 'GreaterThanOrEqualTo', value: iso(from) },
  { name: 'CreationTime', operator: 'LessThan', value: iso(to) },
];

/** The watcher's feed over SageMaker Search: feature groups by CreationTime and LastModifiedTime. */
export function featureGroupFeed(responses: SageMakerResponses): FeatureGroupFeed {
  return {
    changedSince: (since) =>
      responses.searchFeatureGroupStamps(
        [
          { name: 'CreationTime', operator: 'GreaterThanOrEqualTo', value: iso(since) },
          { name: 'LastModifiedTime', operator: 'GreaterThanOrEqualTo', value: iso(since) },
        ],
        'Or',
      ),
    countCreated: (from, to) => responses.countFeatureGroups(createdIn(from, to)),
    createdBetween: (from, to) => responses.searchFeatureGroupStamps(createdIn(from, to), 'And'),
  };
}

/** The key of a kind and name in searchByName's answer. */
export const searchedKey = (kind: SearchableKind, name: string) => `${kind}\u0000${name}`;

/**
 * Models and endpoints by exact name, with the tags (and an endpoint's status) their Search
 * records carry: one Search per 20 names of a kind, each paged, run side by side. A Search
 * SageMaker would not answer (after the retries) leaves its names out for the caller to read
 * another way, and a record only ever answers for the name it has, so no resource gets another's tags.
 */
export async function searchByName(
  responses: SageMakerResponses,
  concurrency: number,
  subjects: readonly { kind: 'Model' | 'Endpoint'; name: string }[],
): Promise<Map<string, SearchedResource>> {
  const searches = (['Model', 'Endpoint'] as const).flatMap((kind) => {
    const names = [...new Set(subjects.filter((s) => s.kind === kind && s.name !== '' && NAME_TEXT[kind].test(s.name)).map((s) => s.name))];
    return chunks(names, SEARCH_FILTERS_PER_EXPRESSION).map((batch) => ({ kind, batch }));
  });
  const found = new Map<string, SearchedResource>();
  await mapPool(searches, concurrency, async ({ kind, batch }) => {
    let records: SearchedResource[];
    try {
      records = await responses.searchEquals(kind, batch.map((value) => ({ name: NAME_PROPERTY[kind], value })));
    } catch (error) {
      if (error instanceof SourceUnavailable || error instanceof NotAuthorized || error instanceof Throttled) return;
      throw error;
    }
    const wanted = new Set(batch);
    for (const record of records) if (wanted.has(record.name)) found.set(searchedKey(kind, record.name), record);
  });
  return found;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * DataSet artifacts whose SourceUri matches. A summary carries no properties, so each match is
 * described to tell a raw data source from a feature-store query result (also a DataSet).
 */
async function findDataSources(
  responses: SageMakerResponses,
  concurrency: number,
  matches: (value: string) => boolean,
  limit: number,
  /** The most data sets to read; without it, every one until `limit` hits are found. */
  bound = Number.POSITIVE_INFINITY,
): Promise<DataSourceSearch> {
  const hits: ResourceHit[] = [];
  let checked = 0;
  let bounded = false;
  const describeNew = async (summaries: readonly LineageSummary[]): Promise<boolean> => {
    const candidates = summaries.slice(checked).filter((s) => s.sourceUri !== undefined && matches(s.sourceUri));
    checked = summaries.length;
    const described = await mapPool(candidates, concurrency, (s) => responses.describeLineageResponse(s.arn));
    for (const response of described) {
      if (!response) continue;
      const entity = classifyEntity(lineageResponseToEntity(response));
      if (entity.kind === 'DataSource') hits.push({ kind: 'DataSource', name: entity.name, arn: entity.arn });
    }
    if (hits.length >= limit) return true;
    // A bound on what one search reads: past it the cost would follow the account, not the answer.
    bounded = summaries.length >= bound;
    return bounded;
  };
  const summaries = await responses.listLineageSummaries('Artifact', { type: 'DataSet' }, describeNew);
  await describeNew(summaries);
  return { hits, ...(bounded && hits.length < limit ? { boundedAt: summaries.length } : {}) };
}

/** Data sources whose URI contains `text`, from at most DATA_SETS_READ data sets. */
export async function searchDataSourcesSageMaker(responses: SageMakerResponses, concurrency: number, text: string, limit: number): Promise<DataSourceSearch> {
  if (limit <= 0) return { hits: [] };
  const needle = text.toLowerCase();
  const found = await findDataSources(responses, concurrency, (value) => value.toLowerCase().includes(needle), limit, DATA_SETS_READ);
  return { ...found, hits: found.hits.sort((a, b) => a.name.localeCompare(b.name)).slice(0, limit) };
}
