// What a recording would change: the desired lineage compared with what the account holds.
// Existing artifacts are found by SourceUri and reused as they are (name and type kept); only
// missing properties are added. Existing associations are found by listing, never by reading an
// error as "already there".
import { FEATURE_STORE_QUERY_PROPERTY } from '../lineage/classify.js';
import { mapPool } from '../lineage/pool.js';
import type { Association, AssociationType, LineageEntity } from '../lineage/lineage-source.js';
import type { LineageAccount } from './account.js';
import type { DesiredArtifact, DesiredLineage, End } from './desired.js';

/** ml-lineage-helper cut Base64FeatureStoreQueryString at this many characters. */
const HELPER_QUERY_CUT = 256;

export interface ExistingArtifact {
  arn: string;
  name?: string;
  type?: string;
  properties: Readonly<Record<string, string>>;
}

export type ArtifactStep =
  | { action: 'create'; desired: DesiredArtifact }
  | {
      action: 'reuse';
      desired: DesiredArtifact;
      existing: ExistingArtifact;
      /** Properties to add (or replace, see `replaced`); empty when the artifact is complete. */
      set: Record<string, string>;
      replaced: string[];
    };

export interface PlannedEnd {
  role: string;
  /** Known unless the artifact is yet to be created. */
  arn?: string;
  /** The SourceUri of an artifact of this recording. */
  artifact?: string;
}

export interface AssociationStep {
  action: 'add' | 'exists';
  source: PlannedEnd;
  destination: PlannedEnd;
  type: AssociationType;
  /** The type it was recorded with, when that differs from `type` (it is left as it is). */
  existingType?: AssociationType;
}

export interface PropertyConflict {
  role: string;
  arn: string;
  key: string;
  existing: string;
  wanted: string;
}

export interface RecordPlan {
  artifacts: ArtifactStep[];
  associations: AssociationStep[];
  /** Existing property values this recording would change; refused unless overwriting. */
  conflicts: PropertyConflict[];
  notes: string[];
}

export interface PlanOptions {
  overwriteProperties?: boolean;
}

export async function planRecording(account: LineageAccount, desired: DesiredLineage, options: PlanOptions = {}): Promise<RecordPlan> {
  const notes: string[] = [];
  const conflicts: PropertyConflict[] = [];
  const found = await mapPool(desired.artifacts, account.concurrency, (artifact) => account.artifactsAt(artifact.sourceUri));
  const artifacts = desired.artifacts.map((artifact, index): ArtifactStep => {
    const existing = chooseExisting(artifact, found[index] ?? [], notes);
    if (!existing) return { action: 'create', desired: artifact };
    const { set, replaced } = propertyChanges(artifact, existing, options, conflicts, notes);
    return { action: 'reuse', desired: artifact, existing, set, replaced };
  });
  const arnOf = new Map(artifacts.flatMap((step) => (step.action === 'reuse' ? [[step.desired.sourceUri, step.existing.arn] as const] : [])));
  const roleOf = new Map(desired.artifacts.map((artifact) => [artifact.sourceUri, artifact.role]));
  const end = (e: End): PlannedEnd => {
    if (!('artifact' in e)) return { role: e.role, arn: e.arn };
    const arn = arnOf.get(e.artifact);
    return { role: roleOf.get(e.artifact) ?? e.artifact, artifact: e.artifact, ...(arn !== undefined ? { arn } : {}) };
  };
  const planned = desired.associations.map((a) => ({ source: end(a.source), destination: end(a.destination), type: a.type }));
  // One listing per destination that exists answers every planned association into it.
  const destinations = [...new Set(planned.flatMap((a) => (a.source.arn && a.destination.arn ? [a.destination.arn] : [])))];
  const lists = await mapPool(destinations, account.concurrency, (arn) => account.associationsInto(arn));
  const incoming = new Map(destinations.map((arn, index) => [arn, lists[index] ?? []]));
  const associations = planned.map((a): AssociationStep => {
    const recorded = a.source.arn && a.destination.arn ? findAssociation(incoming.get(a.destination.arn) ?? [], a.source.arn) : undefined;
    if (!recorded) return { action: 'add', ...a };
    return { action: 'exists', ...a, ...(recorded.type !== a.type ? { existingType: recorded.type } : {}) };
  });
  return { artifacts, associations, conflicts, notes };
}

export function findAssociation(incoming: readonly Association[], sourceArn: string): Association | undefined {
  return incoming.find((a) => a.sourceArn === sourceArn);
}

/**
 * The convention is one artifact per SourceUri; when there are several (ml-lineage-helper could
 * create them in a race), the one of the expected type wins, then the oldest, so every run picks the same.
 */
function chooseExisting(desired: DesiredArtifact, found: readonly LineageEntity[], notes: string[]): ExistingArtifact | undefined {
  if (found.length === 0) return undefined;
  const ranked = [...found].sort(
    (a, b) =>
      Number(b.type === desired.type) - Number(a.type === desired.type) ||
      (a.creationTime?.getTime() ?? 0) - (b.creationTime?.getTime() ?? 0) ||
      a.arn.localeCompare(b.arn),
  );
  const chosen = ranked[0] as LineageEntity;
  if (found.length > 1) notes.push(`${found.length} artifacts have SourceUri ${desired.sourceUri}; the ${desired.role} is ${chosen.arn}.`);
  if (chosen.type !== desired.type) {
    notes.push(`The ${desired.role} is an existing ${chosen.type ?? 'untyped'} artifact (${chosen.arn}); it keeps its type.`);
  }
  return {
    arn: chosen.arn,
    ...(chosen.name !== undefined ? { name: chosen.name } : {}),
    ...(chosen.type !== undefined ? { type: chosen.type } : {}),
    properties: chosen.properties,
  };
}

function propertyChanges(
  desired: DesiredArtifact,
  existing: ExistingArtifact,
  options: PlanOptions,
  conflicts: PropertyConflict[],
  notes: string[],
): { set: Record<string, string>; replaced: string[] } {
  const set: Record<string, string> = {};
  const replaced: string[] = [];
  for (const [key, wanted] of Object.entries(desired.properties)) {
    const held = existing.properties[key];
    if (held === wanted) continue;
    if (held === undefined) {
      set[key] = wanted;
      continue;
    }
    const helperCut = key === FEATURE_STORE_QUERY_PROPERTY && held.length === HELPER_QUERY_CUT && wanted.startsWith(held);
    if (helperCut) notes.push(`The ${desired.role} holds the query cut at ${HELPER_QUERY_CUT} characters by ml-lineage-helper; it gets the whole query.`);
    else if (!options.overwriteProperties) {
      conflicts.push({ role: desired.role, arn: existing.arn, key, existing: held, wanted });
      continue;
    }
    set[key] = wanted;
    replaced.push(key);
  }
  return { set, replaced };
}
