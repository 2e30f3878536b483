// `lineage-bot infer`: proposes the feature group → dataset links missing from SageMaker lineage,
// with the evidence for each, and records them with --apply. The library calls are proposeLinks
// and applyProposals.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArgsSpec } from './args.js';
import { z } from 'zod';
import { BadInput, isLineageError } from '../lineage/errors.js';
import type { LineageAccount } from '../record/account.js';
import { describePlanReport } from '../record/describe.js';
import { describeProposals, proposalsSummary } from '../record/describe-proposals.js';
import { proposeLinks, type KnownQuery } from '../record/infer.js';
import { applyProposals } from '../record/infer-apply.js';
import { parseDocument, readText, readUserFile, validateDocument, type ReadText } from '../record/request-file.js';

export const INFER_USAGE = `Usage: lineage-bot infer [options] TRAINING_JOB [TRAINING_JOB ...]
       lineage-bot infer --model NAME [options]

Proposes the feature group → dataset links that SageMaker lineage lacks for training jobs, with
the evidence for each: a training channel that reads a feature group's offline store, or the
results of a feature-store query over the group's offline-store table (a query recorded on the
channel's dataset, or one given with --queries). Nothing is written without --apply.

  --model NAME           also look at the training job that produced this model (repeat)
  --feature-group NAME   consider only these feature groups (repeat, or a,b; default: every
                         group whose offline store or table the channels point at)
  --queries FILE         JSON or YAML list of known queries and where they wrote their results:
                         [{ "output": "s3://…", "query": "SELECT …" } | { "output": …, "queryFile": "q.sql" }]
  --apply                record the proposed links
  --dry-run              with --apply: print what would be recorded and write nothing

Exit status: 0 done (whether or not anything was found), 1 failed, 2 bad usage.`;

export interface InferCliDeps {
  account: LineageAccount;
  out: (line: string) => void;
  /** Usage problems and failures (standard error from the command line); `out` when not given. */
  err?: (line: string) => void;
  read?: ReadText;
  cwd?: string;
}

const QueriesFileSchema = z.array(
  z.union([
    z.strictObject({ output: z.string().startsWith('s3://', 'must be an s3:// URI'), query: z.string().min(1) }),
    z.strictObject({ output: z.string().startsWith('s3://', 'must be an s3:// URI'), queryFile: z.string().min(1) }),
  ]),
);

/** Known queries from a file; query files are relative to it. */
async function readQueries(path: string, read: ReadText): Promise<KnownQuery[]> {
  const entries = validateDocument(QueriesFileSchema, await parseDocument(path, await readUserFile(path, read)), path);
  return Promise.all(
    entries.map(async (entry) => ({
      outputS3Uri: entry.output,
      sql: 'query' in entry ? entry.query : await readUserFile(resolve(path, '..', entry.queryFile), read),
    })),
  );
}

const list = (values: string[] | undefined) => values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

export const INFER_ARGS = {
  options: {
    model: { type: 'string', multiple: true },
    'feature-group': { type: 'string', multiple: true },
    queries: { type: 'string' },
    apply: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
} as const satisfies ArgsSpec;

export async function runInfer(args: string[], deps: InferCliDeps): Promise<number> {
  const usage = (problem: string) => {
    (deps.err ?? deps.out)(problem);
    (deps.err ?? deps.out)(INFER_USAGE);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: INFER_ARGS.options,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    deps.out(INFER_USAGE);
    return 0;
  }
  const models = list(values.model) ?? [];
  if (positionals.length === 0 && models.length === 0) return usage('Name at least one training job, or a model with --model.');
  if (values['dry-run'] && !values.apply) return usage('--dry-run goes with --apply (without --apply nothing is written anyway).');
  const featureGroups = list(values['feature-group']);
  const subject = [...positionals.map((job) => `training job ${job}`), ...models.map((model) => `model ${model}`)].join(', ');
  // A --queries file that cannot be read or is not valid is bad usage, found before SageMaker is asked anything.
  let queries: KnownQuery[];
  try {
    queries = values.queries !== undefined ? await readQueries(resolve(deps.cwd ?? process.cwd(), values.queries), deps.read ?? readText) : [];
  } catch (error) {
    if (!(error instanceof BadInput)) throw error;
    (deps.err ?? deps.out)(error.message);
    return 2;
  }
  try {
    const set = await proposeLinks(deps.account, {
      trainingJobs: positionals,
      models,
      ...(featureGroups ? { featureGroups } : {}),
      queries,
    });
    for (const line of describeProposals(set, `${subject} in ${deps.account.description}`)) deps.out(line);
    if (set.proposals.length === 0) return 0;
    if (!values.apply) {
      deps.out(proposalsSummary(set));
      return 0;
    }
    const outcome = await applyProposals(deps.account, set.proposals, { dryRun: values['dry-run'] ?? false });
    for (const line of describePlanReport({ heading: 'Recording the proposed links', notes: [], ...outcome })) deps.out(line);
    return 0;
  } catch (error) {
    if (!isLineageError(error)) throw error;
    const err = deps.err ?? deps.out;
    err(`Inference failed: ${error.message}`);
    if (error instanceof BadInput && error.hint) err(error.hint);
    return 1;
  }
}
