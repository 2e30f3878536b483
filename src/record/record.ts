// `record` as a library call: read the facts, work out the desired lineage, compare it with the
// account, and write the difference (or only report it, in a dry run).
import { FEATURE_STORE_QUERY_PROPERTY } from '../lineage/classify.js';
import { BadInput } from '../lineage/errors.js';
import { decodeFeatureQuery } from '../lineage/feature-query.js';
import type { LineageAccount } from './account.js';
import { applyPlan, type AppliedCounts } from './apply.js';
import { desiredLineage } from './desired.js';
import { gatherFacts, type RecordFacts } from './facts.js';
import { planRecording, type PropertyConflict, type RecordPlan } from './plan.js';
import { requestProblems, type RecordRequest } from './request.js';
import { oneLine } from './text.js';

export interface RecordOptions {
  /** Work out and return the plan; write nothing. */
  dryRun?: boolean;
}

export interface RecordOutcome {
  trainingJob: string;
  account: string;
  facts: RecordFacts;
  plan: RecordPlan;
  dryRun: boolean;
  /** What was written; absent in a dry run. */
  applied?: AppliedCounts;
}

/** True when the plan writes nothing: every artifact, property and association is already recorded. */
export function planIsEmpty(plan: RecordPlan): boolean {
  return (
    plan.artifacts.every((step) => step.action === 'reuse' && Object.keys(step.set).length === 0) &&
    plan.associations.every((step) => step.action === 'exists')
  );
}

/**
 * Records the lineage of one training job. Throws BadInput for a request that cannot be recorded
 * (nothing is written then), EntityNotFound for a missing job, model or feature group, and the
 * adapter's errors (NotAuthorized, Throttled, SourceUnavailable) — wrapped in RecordingIncomplete
 * when they stop a recording part-way.
 */
export async function recordLineage(account: LineageAccount, request: RecordRequest, options: RecordOptions = {}): Promise<RecordOutcome> {
  const problems = requestProblems(request);
  if (problems.length > 0) throw new BadInput(problems.join(' '));
  const facts = await gatherFacts(account, request);
  const plan = await planRecording(account, desiredLineage(facts, request), {
    ...(request.overwriteProperties !== undefined ? { overwriteProperties: request.overwriteProperties } : {}),
  });
  if (plan.conflicts.length > 0) {
    throw new BadInput(
      `Existing artifacts hold different values than this recording would write, so nothing was written:\n${plan.conflicts.map(describeConflict).join('\n')}`,
      'Check that the request names the right job, model and query; pass --overwrite-properties (overwriteProperties: true) to replace the values.',
    );
  }
  const dryRun = options.dryRun ?? false;
  const base = { trainingJob: facts.trainingJob.name, account: account.description, facts, plan, dryRun };
  if (dryRun || planIsEmpty(plan)) return base;
  return { ...base, applied: await applyPlan(account, plan) };
}

function describeConflict(conflict: PropertyConflict): string {
  const shown = (value: string) => {
    if (conflict.key !== FEATURE_STORE_QUERY_PROPERTY) return `"${value}"`;
    const sql = decodeFeatureQuery(value);
    return sql ? `query "${oneLine(sql, 80)}"` : 'an unreadable query';
  };
  return `  - ${conflict.role} (${conflict.arn}): ${conflict.key} is ${shown(conflict.existing)}, this recording has ${shown(conflict.wanted)}`;
}
