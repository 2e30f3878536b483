// The evidence that a training channel's data came from a feature group, read from locations and
// queries alone: the channel reads the group's offline store, or reads where a feature-store
// query over the group's offline-store table wrote its results. Pure functions, no calls.
import { isTable, readFeatureQuery } from '../lineage/feature-query.js';
import { s3Within, unresolvedStoreFolder } from '../lineage/offline-store.js';
import type { FeatureGroupResource } from '../lineage/lineage-source.js';
import { oneLine } from './text.js';

export type EvidenceKind = 'offline-store' | 'recorded-query' | 'known-query';

export interface LinkEvidence {
  kind: EvidenceKind;
  /** One sentence a person can check. */
  detail: string;
}

/** A feature-store query and the S3 location its results were written to (Athena's output location). */
export interface KnownQuery {
  outputS3Uri: string;
  sql: string;
}

export { s3Within };

/**
 * The offline store's folder for a group. ResolvedOutputS3Uri names it; older groups only have
 * the configured S3Uri, under which SageMaker writes <account>/sagemaker/<region>/offline-store/
 * <name>-<created>/, a folder whose name is the Glue table's with "-" for "_".
 */
export function channelReadsOfflineStore(channelUri: string, group: FeatureGroupResource): string | undefined {
  const store = group.offlineStore;
  if (!store) return undefined;
  if (store.resolvedS3Uri !== undefined) {
    if (s3Within(store.resolvedS3Uri, channelUri)) return `inside the offline store of feature group ${group.name} (${store.resolvedS3Uri})`;
    if (s3Within(channelUri, store.resolvedS3Uri)) return `a folder holding the offline store of feature group ${group.name} (${store.resolvedS3Uri})`;
    return undefined;
  }
  const folder = unresolvedStoreFolder(group, channelUri);
  return folder === undefined ? undefined : `inside ${folder}, the offline store of feature group ${group.name} (table ${store.tableName ?? ''})`;
}

/** Feature groups whose offline-store table the query reads, with the table as the query names it. */
export function groupsReadByQuery(sql: string, groups: readonly FeatureGroupResource[]): { group: FeatureGroupResource; table: string }[] {
  const reading = readFeatureQuery(sql);
  if (!reading.readable) return [];
  return groups.flatMap((group) => {
    const store = group.offlineStore;
    if (store?.tableName === undefined) return [];
    // No lineage links the query to a group yet: only today's table name is evidence, not an earlier epoch's.
    const offline = { table: store.tableName, ...(store.database !== undefined ? { database: store.database } : {}) };
    const table = reading.query.tables.find((t) => isTable(t, offline));
    return table ? [{ group, table: table.database ? `${table.database}.${table.table}` : table.table }] : [];
  });
}

/** Evidence from queries whose output location the channel reads (or that lies inside the channel's folder). */
export function knownQueryEvidence(
  channel: string,
  channelUri: string,
  queries: readonly KnownQuery[],
  groups: readonly FeatureGroupResource[],
): Map<string, LinkEvidence[]> {
  const found = new Map<string, LinkEvidence[]>();
  for (const query of queries) {
    if (!s3Within(query.outputS3Uri, channelUri) && !s3Within(channelUri, query.outputS3Uri)) continue;
    for (const { group, table } of groupsReadByQuery(query.sql, groups)) {
      const detail =
        `channel "${channel}" reads ${channelUri}, where the query "${oneLine(query.sql, 60)}" wrote its results (${query.outputS3Uri}); ` +
        `it reads ${table}, the offline-store table of feature group ${group.name}`;
      found.set(group.arn, [...(found.get(group.arn) ?? []), { kind: 'known-query', detail }]);
    }
  }
  return found;
}
