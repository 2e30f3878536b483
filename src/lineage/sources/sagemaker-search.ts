// Name search over SageMaker: ListFeatureGroups NameContains, Search over models and endpoints,
// and DataSet artifacts whose SourceUri contains the text. Each kind stops paging once it has
// `limit` hits, and a text that no name of a kind can contain costs no call at all.
import { classifyEntity } from '../classify.js';
import { mapPool } from '../pool.js';
import type { ResourceHit, ResourceKind } from '../lineage-source.js';
import { lineageResponseToEntity, type LineageSummary, type NamedResource, type SageMakerResponses } from './sagemaker-responses.js';

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
