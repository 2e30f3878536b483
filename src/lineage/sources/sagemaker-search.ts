// Name search over SageMaker: ListFeatureGroups NameContains, Search over models and endpoints,
// and DataSet artifacts whose SourceUri contains the text. Each kind stops paging once it has
// `limit` hits, and a text that no name of a kind can contain costs no call at all.
// Also the exact lookups by tag (App Home) and by name (recognising a message's words), both
// SageMaker Search with OR-ed Equals filters, paged to the end.
import { classifyEntity } from '../classify.js';
import { mapPool } from '../pool.js';
import type { FeatureGroupFeed, ResourceHit, ResourceKind, SearchableKind, TaggedHit } from '../lineage-source.js';
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
    DataSource: () => findDataSources(responses, concurrency, matches, limit),
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
): Promise<ResourceHit[]> {
  const hits: ResourceHit[] = [];
  let checked = 0;
  const describeNew = async (summaries: readonly LineageSummary[]): Promise<boolean> => {
    const candidates = summaries.slice(checked).filter((s) => s.sourceUri !== undefined && matches(s.sourceUri));
    checked = summaries.length;
    const described = await mapPool(candidates, concurrency, (s) => responses.describeLineageResponse(s.arn));
    for (const response of described) {
      if (!response) continue;
      const entity = classifyEntity(lineageResponseToEntity(response));
      if (entity.kind === 'DataSource') hits.push({ kind: 'DataSource', name: entity.name, arn: entity.arn });
    }
    return hits.length >= limit;
  };
  const summaries = await responses.listLineageSummaries('Artifact', { type: 'DataSet' }, describeNew);
  await describeNew(summaries);
  return hits;
}
