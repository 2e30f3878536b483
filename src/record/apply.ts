// Carries out a plan: creates artifacts, adds missing properties, adds associations. Writes go
// one at a time, in the plan's order: a recording is a few dozen calls, and a failure then
// leaves a clear prefix done, which the next run finds and reuses.
import { LineageError, type LineageErrorCode } from '../lineage/errors.js';
import type { LineageAccount } from './account.js';
import { findAssociation, type RecordPlan } from './plan.js';

export interface AppliedCounts {
  created: number;
  updated: number;
  associated: number;
  /** Associations that another writer added between planning and adding (found by listing). */
  concurrentlyAdded: number;
}

/** A recording that failed part-way; `cause` is the failure and `applied` what was written before it. */
export class RecordingIncomplete extends LineageError {
  readonly code: LineageErrorCode;

  constructor(
    readonly applied: AppliedCounts,
    override readonly cause: LineageError,
  ) {
    const written = applied.created + applied.updated + applied.associated;
    super(
      `${cause.message.replace(/\.$/, '')}. ${written === 0 ? 'Nothing was written' : `${describeCounts(applied)} had been written`}; ` +
        'running the same recording again continues from there.',
      { cause },
    );
    this.code = cause.code;
  }
}

export function describeCounts(counts: AppliedCounts): string {
  const parts: [number, string, string][] = [
    [counts.created, 'artifact created', 'artifacts created'],
    [counts.updated, 'artifact given properties', 'artifacts given properties'],
    [counts.associated, 'association added', 'associations added'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return said.length > 0 ? said.join(', ') : 'nothing';
}

export async function applyPlan(account: LineageAccount, plan: RecordPlan): Promise<AppliedCounts> {
  const counts: AppliedCounts = { created: 0, updated: 0, associated: 0, concurrentlyAdded: 0 };
  try {
    const created = new Map<string, string>();
    for (const step of plan.artifacts) {
      if (step.action === 'create') {
        const { name, type, sourceUri, properties } = step.desired;
        created.set(sourceUri, await account.createArtifact({ name, type, sourceUri, properties }));
        counts.created++;
      } else if (Object.keys(step.set).length > 0) {
        await account.setArtifactProperties(step.existing.arn, { ...step.existing.properties, ...step.set });
        counts.updated++;
      }
    }
    for (const step of plan.associations) {
      if (step.action === 'exists') continue;
      const arnOf = (end: typeof step.source) => end.arn ?? created.get(end.artifact as string) as string;
      const sourceArn = arnOf(step.source);
      const destinationArn = arnOf(step.destination);
      try {
        await account.addAssociation(sourceArn, destinationArn, step.type);
        counts.associated++;
      } catch (error) {
        // Whatever the error says, the association counts as recorded only if it is there.
        if (!findAssociation(await account.associationsInto(destinationArn), sourceArn)) throw error;
        counts.concurrentlyAdded++;
      }
    }
  } catch (error) {
    if (error instanceof LineageError) throw new RecordingIncomplete({ ...counts }, error);
    throw error;
  }
  return counts;
}
