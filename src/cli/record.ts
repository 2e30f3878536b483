// `lineage-bot record`: records the feature-store lineage of a training job (feature groups,
// the query that built its datasets, the processing job and code behind them) in SageMaker,
// in ml-lineage-helper's convention. For pipeline steps and CI; the library call is recordLineage.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArgsSpec } from './args.js';
import { BadInput, isLineageError } from '../lineage/errors.js';
import type { LineageAccount } from '../record/account.js';
import { describeRecording } from '../record/describe.js';
import type { GitRunner } from '../record/git-link.js';
import { recordLineage } from '../record/record.js';
import { DEFAULT_PROCESSING_CODE_INPUT, DEFAULT_TEST_CHANNEL, DEFAULT_TRAIN_CHANNEL, requestProblems } from '../record/request.js';
import { readRecordFile, type ReadText, type RecordFile } from '../record/request-file.js';
import { mergeInputs, resolveRequest } from '../record/resolve-request.js';

export const RECORD_USAGE = `Usage: lineage-bot record --training-job NAME [options]
       lineage-bot record --file lineage.yml [options]

Records in SageMaker ML Lineage Tracking how a training job's data came from the Feature Store:
processing inputs and code → processing job → feature groups (fg-<name>) → training and test
datasets (with their feature-store query) → the training job → the model. Existing artifacts and
associations are reused; running it again records nothing new. Uses the AWS account and region of
the standard AWS configuration.

  --training-job NAME            the training job (required, here or in the file)
  --model NAME                   the SageMaker model made from it
  --feature-group NAME           a feature group its datasets were queried from (repeat, or a,b)
  --query SQL | --query-file F   the feature-store query that built the datasets
  --test-query SQL | --test-query-file F
                                 a different query for the test dataset (default: --query)
  --processing-job NAME          the processing job that built the feature groups
  --processing-code-input NAME   that job's input holding its code (default: ${DEFAULT_PROCESSING_CODE_INPUT})
  --processing-input NAME        its data inputs (repeat; default: every S3 input but the code)
  --train-channel NAME           the training job's channel of training data (default: ${DEFAULT_TRAIN_CHANNEL})
  --test-channel NAME            its channel of test data (default: ${DEFAULT_TEST_CHANNEL})
  --no-test-channel              the training job has no test data
  --training-code-url URL | --training-code-path PATH
  --processing-code-url URL | --processing-code-path PATH
                                 where the code is browsable; a PATH in a local git checkout is
                                 linked at its current commit through the checkout's remote
  --overwrite-properties         replace values that differ on existing artifacts (default: refuse)
  --file FILE                    read the settings from a JSON or YAML file (flags win)
  --dry-run                      print what would be recorded and write nothing

Exit status: 0 recorded (or nothing to record), 1 failed, 2 bad usage.`;

export interface RecordCliDeps {
  account: LineageAccount;
  out: (line: string) => void;
  /** Usage problems and failures (standard error from the command line); `out` when not given. */
  err?: (line: string) => void;
  read?: ReadText;
  git?: GitRunner;
  cwd?: string;
}

const OPTIONS = {
  file: { type: 'string' },
  'training-job': { type: 'string' },
  model: { type: 'string' },
  'feature-group': { type: 'string', multiple: true },
  query: { type: 'string' },
  'query-file': { type: 'string' },
  'test-query': { type: 'string' },
  'test-query-file': { type: 'string' },
  'processing-job': { type: 'string' },
  'processing-code-input': { type: 'string' },
  'processing-input': { type: 'string', multiple: true },
  'train-channel': { type: 'string' },
  'test-channel': { type: 'string' },
  'no-test-channel': { type: 'boolean' },
  'training-code-url': { type: 'string' },
  'training-code-path': { type: 'string' },
  'processing-code-url': { type: 'string' },
  'processing-code-path': { type: 'string' },
  'overwrite-properties': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const RECORD_ARGS = { options: OPTIONS, allowPositionals: false } as const satisfies ArgsSpec;

type Values = ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values'];

/** Repeated flags and comma-separated lists both give several values. */
const list = (values: string[] | undefined) => values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** A code path stays as given (resolved against the working directory when linked), so messages name it that way. */
function code(url: string | undefined, path: string | undefined, what: string): RecordFile['trainingCode'] | string {
  if (url !== undefined && path !== undefined) return `Give --${what}-code-url or --${what}-code-path, not both.`;
  if (url !== undefined) return { url };
  return path !== undefined ? { path } : undefined;
}

/** The flags as a RecordFile, or a usage problem. */
function fromFlags(values: Values, cwd: string): RecordFile | string {
  if (values['test-channel'] !== undefined && values['no-test-channel']) return 'Give --test-channel or --no-test-channel, not both.';
  for (const [inline, file] of [['query', 'query-file'], ['test-query', 'test-query-file']] as const) {
    if (values[inline] !== undefined && values[file] !== undefined) return `Give --${inline} or --${file}, not both.`;
  }
  const trainingCode = code(values['training-code-url'], values['training-code-path'], 'training');
  const processingCode = code(values['processing-code-url'], values['processing-code-path'], 'processing');
  if (typeof trainingCode === 'string') return trainingCode;
  if (typeof processingCode === 'string') return processingCode;
  const at = (path: string | undefined) => (path !== undefined ? resolve(cwd, path) : undefined);
  return {
    trainingJob: values['training-job'],
    model: values.model,
    featureGroups: list(values['feature-group']),
    query: values.query,
    queryFile: at(values['query-file']),
    testQuery: values['test-query'],
    testQueryFile: at(values['test-query-file']),
    processingJob: values['processing-job'],
    processingCodeInput: values['processing-code-input'],
    processingInputs: list(values['processing-input']),
    trainChannel: values['train-channel'],
    testChannel: values['no-test-channel'] ? false : values['test-channel'],
    trainingCode,
    processingCode,
    overwriteProperties: values['overwrite-properties'],
  };
}

/** Runs `record`; the exit code is 0 on success, 1 when the recording fails, 2 on bad usage. */
export async function runRecord(args: string[], deps: RecordCliDeps): Promise<number> {
  const cwd = deps.cwd ?? process.cwd();
  const usage = (problem: string) => {
    (deps.err ?? deps.out)(problem);
    (deps.err ?? deps.out)(RECORD_USAGE);
    return 2;
  };
  let values: Values;
  try {
    const parsed = parseArgs({ args, options: OPTIONS, allowPositionals: false });
    values = parsed.values;
  } catch (error) {
    return usage((error as Error).message);
  }
  if (values.help) {
    deps.out(RECORD_USAGE);
    return 0;
  }
  const flags = fromFlags(values, cwd);
  if (typeof flags === 'string') return usage(flags);
  const err = deps.err ?? deps.out;
  // What the user gave (the file, query files, code paths) is read before SageMaker is asked anything;
  // a problem there is bad usage, said without the whole usage text burying it.
  let resolved: Awaited<ReturnType<typeof resolveRequest>>;
  try {
    const file = values.file !== undefined ? await readRecordFile(resolve(cwd, values.file), deps.read) : {};
    const input = mergeInputs(file, flags);
    if (input.trainingJob === undefined) return usage('Missing --training-job NAME (or trainingJob in the file).');
    resolved = await resolveRequest(input, { cwd, ...(deps.read ? { read: deps.read } : {}), ...(deps.git ? { git: deps.git } : {}) });
  } catch (error) {
    if (!(error instanceof BadInput)) throw error;
    err(error.message);
    if (error.hint) err(error.hint);
    return 2;
  }
  const { request, notes } = resolved;
  const problems = requestProblems(request);
  if (problems.length > 0) return usage(problems.join('\n'));
  try {
    const outcome = await recordLineage(deps.account, request, { dryRun: values['dry-run'] ?? false });
    for (const line of describeRecording(outcome, notes)) deps.out(line);
    return 0;
  } catch (error) {
    if (!isLineageError(error)) throw error;
    err(`Recording failed: ${error.message}`);
    if (error instanceof BadInput && error.hint) err(error.hint);
    return 1;
  }
}
