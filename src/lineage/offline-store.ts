// Where a feature group's offline-store files are, from DescribeFeatureGroup alone: pure functions
// shared by walks (a job reading a group's offline store reads the group) and by `infer`.
import { parseArn } from './reference.js';
import type { FeatureGroupResource } from './lineage-source.js';

const trimSlash = (uri: string) => uri.replace(/\/+$/, '');

/** True when `uri` is `prefix` itself or lies under it as an S3 "folder". */
export function s3Within(prefix: string, uri: string): boolean {
  const p = trimSlash(prefix);
  const u = trimSlash(uri);
  return u === p || u.startsWith(`${p}/`);
}

/**
 * For a group without a ResolvedOutputS3Uri (older groups), the offline-store folder holding
 * `uri`: SageMaker writes under <S3Uri>/<account>/sagemaker/<region>/offline-store/<name>-<created>/,
 * a folder whose name is the Glue table's with "-" for "_".
 */
export function unresolvedStoreFolder(group: FeatureGroupResource, uri: string): string | undefined {
  const store = group.offlineStore;
  const arn = parseArn(group.arn);
  if (!store || !arn || store.tableName === undefined) return undefined;
  const root = `${trimSlash(store.s3Uri)}/${arn.account}/sagemaker/${arn.region}/offline-store/`;
  if (!uri.startsWith(root)) return undefined;
  const folder = uri.slice(root.length).split('/')[0] ?? '';
  return folder.replace(/-/g, '_').toLowerCase() === store.tableName.toLowerCase() ? `${root}${folder}` : undefined;
}

/** True when `uri` is the group's offline store or a file or folder in it. */
export function inOfflineStore(group: FeatureGroupResource, uri: string): boolean {
  const resolved = group.offlineStore?.resolvedS3Uri;
  return resolved !== undefined ? s3Within(resolved, uri) : unresolvedStoreFolder(group, uri) !== undefined;
}

/**
 * The S3 URIs a job reading the group's offline store records as its input: the
 * ResolvedOutputS3Uri DescribeFeatureGroup gives, with or without a closing slash.
 */
export function offlineStoreUris(group: FeatureGroupResource): string[] {
  const resolved = group.offlineStore?.resolvedS3Uri;
  return resolved ? [trimSlash(resolved), `${trimSlash(resolved)}/`] : [];
}
