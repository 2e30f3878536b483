// A recording as lines of text: each artifact and association with what happens to it, the
// notes, and one closing line saying what was (or would be) written — or that nothing was needed.
import { FEATURE_STORE_QUERY_PROPERTY } from '../lineage/classify.js';
import { decodeFeatureQuery } from '../lineage/feature-query.js';
import { describeCounts, type AppliedCounts } from './apply.js';
import type { ArtifactStep, AssociationStep, RecordPlan } from './plan.js';
import { planIsEmpty, type RecordOutcome } from './record.js';
import { oneLine, plural } from './text.js';

function describeProperties(properties: Readonly<Record<string, string>>): string {
  return Object.entries(properties)
    .map(([key, value]) => {
      if (key !== FEATURE_STORE_QUERY_PROPERTY) return `${key}=${value}`;
      const sql = decodeFeatureQuery(value);
      return `${key} (${sql ? `query "${oneLine(sql, 60)}"` : `${value.length} characters`})`;
    })
    .join(', ');
}

function artifactLine(step: ArtifactStep, dryRun: boolean): string {
  const { desired } = step;
  if (step.action === 'create') {
    const props = Object.keys(desired.properties).length > 0 ? `, ${describeProperties(desired.properties)}` : '';
    return `  ${dryRun ? 'would create' : 'create'} ${desired.type} "${desired.name}" ${desired.sourceUri} — ${desired.role}${props}`;
  }
  const setting = Object.keys(step.set).length > 0;
  const verb = setting ? (dryRun ? 'would update' : 'update') : 'exists';
  const what = setting ? `; ${step.replaced.length > 0 ? 'set' : 'add'} ${describeProperties(step.set)}` : '';
  return `  ${verb} ${step.existing.type ?? 'artifact'} ${step.existing.arn} — ${desired.role}${what}`;
}

function associationLine(step: AssociationStep, dryRun: boolean): string {
  const verb = step.action === 'exists' ? 'exists' : dryRun ? 'would link' : 'link';
  const recordedAs = step.existingType ? `, recorded as ${step.existingType}` : '';
  return `  ${verb} ${step.source.role} → ${step.destination.role} (${step.type}${recordedAs})`;
}

function pending(plan: RecordPlan) {
  return {
    create: plan.artifacts.filter((s) => s.action === 'create').length,
    update: plan.artifacts.filter((s) => s.action === 'reuse' && Object.keys(s.set).length > 0).length,
    link: plan.associations.filter((s) => s.action === 'add').length,
    artifactsThere: plan.artifacts.filter((s) => s.action === 'reuse').length,
    associationsThere: plan.associations.filter((s) => s.action === 'exists').length,
  };
}

/** A plan and what became of it, under a heading of the caller's. */
export interface PlanReport {
  heading: string;
  plan: RecordPlan;
  notes: readonly string[];
  dryRun: boolean;
  applied?: AppliedCounts;
}

export function describePlanReport(report: PlanReport): string[] {
  const { plan, dryRun } = report;
  const lines = [
    `${report.heading}${dryRun ? ' (dry run)' : ''}:`,
    ...plan.artifacts.map((step) => artifactLine(step, dryRun)),
    ...plan.associations.map((step) => associationLine(step, dryRun)),
    ...[...report.notes, ...plan.notes].map((note) => `Note: ${note}`),
  ];
  const p = pending(plan);
  const there = `${plural(p.artifactsThere, 'artifact', 'artifacts')} and ${plural(p.associationsThere, 'association', 'associations')} were already recorded`;
  if (planIsEmpty(plan)) {
    lines.push(`Nothing to record: the lineage is complete (${there}).`);
  } else if (dryRun) {
    const would = [
      p.create > 0 ? `create ${plural(p.create, 'artifact', 'artifacts')}` : '',
      p.update > 0 ? `add properties to ${plural(p.update, 'artifact', 'artifacts')}` : '',
      p.link > 0 ? `add ${plural(p.link, 'association', 'associations')}` : '',
    ].filter(Boolean);
    const listed = would.length > 1 ? `${would.slice(0, -1).join(', ')} and ${would.at(-1)}` : would.join('');
    lines.push(`Dry run: would ${listed} (${there}); nothing was written.`);
  } else if (report.applied) {
    const late = report.applied.concurrentlyAdded;
    const raced = late > 0 ? `; ${plural(late, 'association was', 'associations were')} added by someone else meanwhile` : '';
    lines.push(`Recorded: ${describeCounts(report.applied)} (${there}${raced}).`);
  }
  return lines;
}

/** `notes` are the caller's own (git link warnings), said with the recording's. */
export function describeRecording(outcome: RecordOutcome, notes: readonly string[] = []): string[] {
  return describePlanReport({
    heading: `Lineage of training job ${outcome.trainingJob} in ${outcome.account}`,
    plan: outcome.plan,
    notes: [...notes, ...outcome.facts.notes],
    dryRun: outcome.dryRun,
    ...(outcome.applied ? { applied: outcome.applied } : {}),
  });
}
