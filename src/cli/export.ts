// `lineage-bot export`: reads lineage from SageMaker into a snapshot file, which
// LINEAGE_SOURCE=snapshot serves offline (reproducing a question, a demo of your own account).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArgsSpec } from './args.js';
import { isLineageError } from '../lineage/errors.js';
import type { Association } from '../lineage/lineage-source.js';
import type { SageMakerSource } from '../lineage/sources/sagemaker.js';
import type { AssociationResponse, LineageEntityResponse } from '../lineage/sources/sagemaker-responses.js';
import { parseSnapshot, SNAPSHOT_FORMAT_VERSION } from '../lineage/sources/snapshot-file.js';
import { toWireJson } from '../lineage/sources/wire-json.js';
import {
  collectResources,
  describeLineage,
  listAllLineageArns,
  resolveStart,
  ResourceResponses,
  type ExportedResources,
} from './export-collect.js';

const DEFAULT_DEPTH = 100;

export const EXPORT_ARGS = {
  options: {
    out: { type: 'string', short: 'o' },
    all: { type: 'boolean' },
    depth: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
} as const satisfies ArgsSpec;

export const EXPORT_USAGE = `Usage: lineage-bot export --out <file.json> [--depth <hops>] START [START ...]
       lineage-bot export --out <file.json> --all

Writes a snapshot file (LINEAGE_SOURCE=snapshot reads it) from the SageMaker account and region
of the standard AWS configuration.

  START        a lineage entity ARN, a feature group / model / endpoint name or ARN, or an S3 URI;
               everything connected to it (upstream and downstream) is exported
  --all        every artifact, context, action, trial component, association and feature group
  --depth N    how far to follow lineage from each START (default ${DEFAULT_DEPTH})
  --out FILE   where to write the snapshot`;

export interface ExportDeps {
  source: SageMakerSource;
  write: (path: string, text: string) => Promise<void>;
  out: (line: string) => void;
  /** Usage problems and failures (standard error from the command line); `out` when not given. */
  err?: (line: string) => void;
}

interface ExportArgs {
  out: string;
  all: boolean;
  depth: number;
  starts: string[];
}

/** Runs the export; the exit code is 0 on success, 1 when SageMaker or a START fails, 2 on bad usage. */
export async function runExport(args: string[], deps: ExportDeps): Promise<number> {
  const parsed = parseExportArgs(args);
  if (parsed === 'help') {
    deps.out(EXPORT_USAGE);
    return 0;
  }
  const err = deps.err ?? deps.out;
  if (typeof parsed === 'string') {
    err(parsed);
    err(EXPORT_USAGE);
    return 2;
  }
  // A walk of a large account takes minutes: a file that cannot be written is said before it starts.
  const outProblem = await unwritable(parsed.out);
  if (outProblem !== undefined) {
    err(outProblem);
    return 2;
  }
  try {
    const document = parsed.all ? await exportAll(deps) : await exportFromStarts(deps, parsed.starts, parsed.depth);
    if (document === undefined) return 1;
    // The file must load as a snapshot; checking here turns a bug into a message rather than a bad file.
    const snapshot = parseSnapshot(document, parsed.out);
    await deps.write(parsed.out, `${JSON.stringify(document, null, 2)}\n`);
    const counts: [number, string][] = [
      [snapshot.Artifacts.length, 'artifact'],
      [snapshot.Contexts.length, 'context'],
      [snapshot.Actions.length, 'action'],
      [snapshot.TrialComponents.length, 'trial component'],
      [snapshot.Associations.length, 'association'],
      [snapshot.FeatureGroups.length, 'feature group'],
      [snapshot.Models.length, 'model'],
      [snapshot.Endpoints.length, 'endpoint'],
    ];
    deps.out(`Wrote ${parsed.out}: ${counts.map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`).join(', ')}.`);
    return 0;
  } catch (error) {
    if (!isLineageError(error)) throw error;
    err(`Export failed: ${error.message}`);
    return 1;
  }
}

/** Why `out` cannot be written (its folder is missing, not a folder, or not writable), or undefined. */
async function unwritable(out: string): Promise<string | undefined> {
  const folder = dirname(resolve(out));
  try {
    if (!(await stat(folder)).isDirectory()) return `Cannot write --out ${out}: ${folder} is not a folder.`;
    await access(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `Cannot write --out ${out}: there is no folder ${folder}.`;
    if (code === 'ENOTDIR') return `Cannot write --out ${out}: ${folder} is not a folder.`;
    if (code === 'EACCES' || code === 'EPERM') return `Cannot write --out ${out}: the folder ${folder} is not writable.`;
    return `Cannot write --out ${out}: ${(error as Error).message}`;
  }
}

/** The parsed arguments, 'help' for --help, or the usage problem to print. */
function parseExportArgs(args: string[]): ExportArgs | 'help' | string {
  let values: { out?: string; all?: boolean; depth?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: EXPORT_ARGS.options,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  // `lineage-bot help` points here, as record and infer do.
  if (values.help) return 'help';
  if (!values.out) return 'Missing --out <file.json>.';
  const all = values.all ?? false;
  if (all && positionals.length > 0) return 'Give START values or --all, not both.';
  if (!all && positionals.length === 0) return 'Give at least one START, or --all.';
  const depth = values.depth === undefined ? DEFAULT_DEPTH : Number(values.depth);
  if (!Number.isInteger(depth) || depth < 1 || depth > 1000) return '--depth must be a whole number from 1 to 1000.';
  return { out: values.out, all, depth, starts: positionals };
}

async function exportFromStarts(deps: ExportDeps, starts: readonly string[], depth: number): Promise<object | undefined> {
  const { source, out } = deps;
  const resources = new ResourceResponses(source);
  const resolved = await Promise.all(starts.map((start) => resolveStart(source, resources, start)));
  const found = (r: (typeof resolved)[number]) => Object.values(r.resources).some((names) => names.length > 0);
  const nothing = resolved.filter((r) => r.lineageArns.length === 0 && !found(r));
  if (nothing.length > 0) {
    for (const r of nothing) (deps.err ?? out)(`Nothing found for "${r.input}": no lineage entity, feature group, model or endpoint.`);
    return undefined;
  }
  for (const r of resolved) {
    if (r.lineageArns.length === 0) out(`"${r.input}" has no lineage recorded; exporting the resource alone.`);
  }

  const vertices = new Set<string>();
  const edges = new Map<string, Association>();
  const startArns = [...new Set(resolved.flatMap((r) => r.lineageArns))];
  let cutShort = false;
  for (const startArn of startArns) {
    // A walk both ways that was not cut short holds the start's whole connected graph already.
    if (vertices.has(startArn) && !cutShort) continue;
    const result = await source.queryLineage({ startArn, direction: 'Both', maxDepth: depth });
    result.vertices.forEach((v) => vertices.add(v.arn));
    result.edges.forEach((e) => edges.set(`${e.sourceArn}\u0000${e.destinationArn}\u0000${e.type}`, e));
    cutShort ||= result.depthExceeded;
    if (result.depthExceeded) out(`Lineage of ${startArn} goes on beyond ${depth} hops; raise --depth to export all of it.`);
  }
  const lineage = await describeLineage(source, vertices);
  const associations = [...edges.values()].map(
    (e): AssociationResponse => ({ SourceArn: e.sourceArn, DestinationArn: e.destinationArn, AssociationType: e.type }),
  );
  const named = {
    featureGroups: resolved.flatMap((r) => r.resources.featureGroups),
    models: resolved.flatMap((r) => r.resources.models),
    endpoints: resolved.flatMap((r) => r.resources.endpoints),
  };
  const exported = await collectResources(source, resources, lineage, named);
  const description = `lineage-bot export of ${starts.join(', ')} from ${source.description}`;
  return snapshotDocument(description, lineage, associations, exported);
}

async function exportAll(deps: ExportDeps): Promise<object> {
  const { source } = deps;
  const resources = new ResourceResponses(source);
  const [arns, associations, featureGroups] = await Promise.all([
    listAllLineageArns(source),
    source.listAllAssociations(),
    source.listFeatureGroupSummaries(),
  ]);
  const lineage = await describeLineage(source, arns);
  const named = { featureGroups: featureGroups.map((f) => f.name), models: [], endpoints: [] };
  const exported = await collectResources(source, resources, lineage, named);
  return snapshotDocument(`lineage-bot export --all from ${source.description}`, lineage, associations, exported);
}

/** The snapshot file's document, in wire form (timestamps as epoch seconds). */
function snapshotDocument(
  description: string,
  lineage: readonly LineageEntityResponse[],
  associations: readonly AssociationResponse[],
  resources: ExportedResources,
): object {
  const ofType = <T extends LineageEntityResponse['lineageType']>(type: T) =>
    lineage.filter((r): r is Extract<LineageEntityResponse, { lineageType: T }> => r.lineageType === type).map((r) => r.response);
  const described = new Set(lineage.map((r) => lineageResponseArn(r)));
  return toWireJson({
    FormatVersion: SNAPSHOT_FORMAT_VERSION,
    Description: `${description}, ${new Date().toISOString()}`,
    Artifacts: ofType('Artifact'),
    Contexts: ofType('Context'),
    Actions: ofType('Action'),
    TrialComponents: ofType('TrialComponent'),
    // An association must join two entities in the file; one whose end was deleted meanwhile is dropped.
    Associations: associations.filter((a) => described.has(a.SourceArn) && described.has(a.DestinationArn)),
    FeatureGroups: resources.featureGroups,
    Models: resources.models,
    Endpoints: resources.endpoints,
    EndpointConfigs: resources.endpointConfigs,
    TrainingJobs: resources.trainingJobs,
    ProcessingJobs: resources.processingJobs,
    Tags: resources.tags,
  }) as object;
}

function lineageResponseArn(described: LineageEntityResponse): string {
  switch (described.lineageType) {
    case 'Artifact':
      return described.response.ArtifactArn;
    case 'Context':
      return described.response.ContextArn;
    case 'Action':
      return described.response.ActionArn;
    case 'TrialComponent':
      return described.response.TrialComponentArn;
  }
}
