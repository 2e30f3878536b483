// The snapshot file: a JSON document holding SageMaker API responses as they come off the wire
// (DescribeArtifact, ListAssociations, DescribeFeatureGroup…). `lineage-bot export` writes it,
// LINEAGE_SOURCE=snapshot reads it, and the embedded demo is one.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InvalidSnapshot } from '../errors.js';
import {
  ActionShape,
  ArtifactShape,
  AssociationShape,
  ContextShape,
  EndpointConfigShape,
  EndpointShape,
  FeatureGroupShape,
  ModelPackageGroupShape,
  ModelPackageSummaryShape,
  ModelShape,
  PipelineExecutionShape,
  ProcessingJobShape,
  TagShape,
  TrainingJobShape,
  TrialComponentShape,
} from './shapes.js';

export const SNAPSHOT_FORMAT_VERSION = 1;

export const SnapshotSchema = z.object({
  FormatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  Description: z.string().optional(),
  Artifacts: z.array(ArtifactShape).default([]),
  Contexts: z.array(ContextShape).default([]),
  Actions: z.array(ActionShape).default([]),
  TrialComponents: z.array(TrialComponentShape).default([]),
  Associations: z.array(AssociationShape).default([]),
  FeatureGroups: z.array(FeatureGroupShape).default([]),
  Models: z.array(ModelShape).default([]),
  Endpoints: z.array(EndpointShape).default([]),
  EndpointConfigs: z.array(EndpointConfigShape).default([]),
  TrainingJobs: z.array(TrainingJobShape).default([]),
  ProcessingJobs: z.array(ProcessingJobShape).default([]),
  /** DescribeModelPackageGroup results. */
  ModelPackageGroups: z.array(ModelPackageGroupShape).default([]),
  /** ListModelPackages summaries (every group's). */
  ModelPackages: z.array(ModelPackageSummaryShape).default([]),
  /** DescribePipelineExecution results. */
  PipelineExecutions: z.array(PipelineExecutionShape).default([]),
  /** ListTags results keyed by resource ARN. */
  Tags: z.record(z.string(), z.array(TagShape)).default({}),
});

/** What a snapshot file holds once validated. */
export type Snapshot = z.output<typeof SnapshotSchema>;
/** What a snapshot file may hold before defaults and timestamp conversion. */
export type SnapshotInput = z.input<typeof SnapshotSchema>;

/** "Artifacts[3].Source.SourceUri" from a zod path. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

/** Validates an already-parsed document; `origin` names the file in errors. */
export function parseSnapshot(document: unknown, origin: string): Snapshot {
  const result = SnapshotSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path) || '(top level)'}: ${issue.message}`);
    throw new InvalidSnapshot(origin, problems);
  }
  const problems = crossReferenceProblems(result.data);
  if (problems.length > 0) throw new InvalidSnapshot(origin, problems);
  return result.data;
}

/** Duplicate ARNs and associations that point at entities the file does not hold. */
function crossReferenceProblems(snapshot: Snapshot): string[] {
  const problems: string[] = [];
  const arns = new Set<string>();
  const collections = [
    ['Artifacts', snapshot.Artifacts.map((a) => a.ArtifactArn)],
    ['Contexts', snapshot.Contexts.map((c) => c.ContextArn)],
    ['Actions', snapshot.Actions.map((a) => a.ActionArn)],
    ['TrialComponents', snapshot.TrialComponents.map((t) => t.TrialComponentArn)],
  ] as const;
  for (const [collection, list] of collections) {
    list.forEach((arn, index) => {
      if (arns.has(arn)) problems.push(`${collection}[${index}]: duplicate ARN ${arn}`);
      arns.add(arn);
    });
  }
  snapshot.Associations.forEach((association, index) => {
    for (const field of ['SourceArn', 'DestinationArn'] as const) {
      if (!arns.has(association[field])) {
        problems.push(`Associations[${index}].${field}: no artifact, context, action or trial component has ARN ${association[field]}`);
      }
    }
  });
  return problems;
}

/** Reads and validates a snapshot file; every failure names the path (and the field when there is one). */
export async function readSnapshotFile(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new InvalidSnapshot(path, [reason]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InvalidSnapshot(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseSnapshot(document, path);
}
