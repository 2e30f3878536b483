// Everything `record` needs to know before deciding what to write, read from the account once,
// each missing or unusable resource reported with what to do about it.
import { BadInput, EntityNotFound } from '../lineage/errors.js';
import { mapPool } from '../lineage/pool.js';
import type { FeatureGroupResource, LineageEntity, ProcessingJobResource } from '../lineage/lineage-source.js';
import type { LineageAccount, TrainingJobFacts } from './account.js';
import { chooseChannel, type ChosenChannel } from './channels.js';
import {
  DEFAULT_PROCESSING_CODE_INPUT,
  DEFAULT_TEST_CHANNEL,
  DEFAULT_TRAIN_CHANNEL,
  type RecordRequest,
} from './request.js';

/** Inputs of the SageMaker Python SDK's FrameworkProcessor that are plumbing, not data (its runproc.sh). */
const PROCESSING_PLUMBING = new Set(['entrypoint']);

export interface ProcessingFacts {
  job: ProcessingJobResource;
  code?: { inputName: string; s3Uri: string };
  inputs: { inputName: string; s3Uri: string }[];
}

export interface RecordFacts {
  trainingJob: TrainingJobFacts;
  /** The trial component SageMaker recorded for the training job. */
  trialComponentArn: string;
  train: ChosenChannel;
  test?: ChosenChannel;
  /** The model data the Model artifact stands for, and the SageMaker model name when given. */
  model: { s3Uri: string; name?: string };
  featureGroups: FeatureGroupResource[];
  processing?: ProcessingFacts;
  /** Things worth saying that do not stop the recording. */
  notes: string[];
}

export async function gatherFacts(account: LineageAccount, request: RecordRequest): Promise<RecordFacts> {
  const notes: string[] = [];
  const [trainingJob, model, featureGroups, processing] = await Promise.all([
    trainingJobOf(account, request.trainingJob),
    request.model !== undefined ? modelOf(account, request.model) : undefined,
    featureGroupsOf(account, request.featureGroups ?? []),
    request.processingJob !== undefined ? processingOf(account, request, notes) : undefined,
  ]);
  const train = chooseChannel(trainingJob, request.trainChannel ?? DEFAULT_TRAIN_CHANNEL, '--train-channel');
  const testName = request.testChannel ?? DEFAULT_TEST_CHANNEL;
  const test = testName === false ? undefined : chooseChannel(trainingJob, testName, '--test-channel');
  if (test && test.channel === train.channel) {
    throw new BadInput(`The train and test channels are both "${train.channel}".`, 'Name two different channels, or use --no-test-channel.');
  }
  const trialComponentArn = await trialComponentOf(account, trainingJob);
  return {
    trainingJob,
    trialComponentArn,
    train,
    ...(test ? { test } : {}),
    model: modelData(trainingJob, model, notes),
    featureGroups,
    ...(processing ? { processing } : {}),
    notes,
  };
}

async function trainingJobOf(account: LineageAccount, name: string): Promise<TrainingJobFacts> {
  const job = await account.describeTrainingJob(name);
  if (!job) throw new EntityNotFound(name, [], 'training job');
  if (job.status === 'Failed') throw new BadInput(`Training job ${job.name} failed, so it has no model whose lineage could be recorded.`);
  if (job.status === 'InProgress' || job.status === 'Stopping') {
    throw new BadInput(`Training job ${job.name} is still running (${job.status}).`, 'Record its lineage once it has completed.');
  }
  return job;
}

async function trialComponentOf(account: LineageAccount, job: TrainingJobFacts): Promise<string> {
  const own = ownTrialComponent(job, await account.trialComponentsOf(job.arn));
  if (!own) {
    throw new BadInput(
      `SageMaker has no trial component for training job ${job.name}, so there is nothing to attach its lineage to.`,
      'SageMaker records one (<job>-aws-training-job) for each training job it runs; a job older than lineage tracking has none.',
    );
  }
  return own.arn;
}

/** SageMaker names its own "<job>-aws-training-job"; it wins if something else also points at the job. */
export function ownTrialComponent(job: TrainingJobFacts, components: readonly LineageEntity[]): LineageEntity | undefined {
  return components.find((c) => c.name === `${job.name}-aws-training-job`) ?? components[0];
}

async function modelOf(account: LineageAccount, name: string) {
  const model = await account.describeModel(name);
  if (!model) throw new EntityNotFound(name, [], 'SageMaker model');
  return model;
}

/**
 * The Model artifact stands for the model data: the SageMaker model's when a model is named (as
 * the bot resolves models), else the training job's output.
 */
function modelData(
  job: TrainingJobFacts,
  model: Awaited<ReturnType<typeof modelOf>> | undefined,
  notes: string[],
): RecordFacts['model'] {
  const output = job.modelArtifactsS3Uri;
  const served = model?.modelDataUrls[0];
  if (model && served === undefined && output === undefined) {
    throw new BadInput(`Neither model ${model.name} nor training job ${job.name} names model data to record a Model artifact for.`);
  }
  if (!model) {
    if (output === undefined) throw new BadInput(`Training job ${job.name} has no model artifacts to record.`);
    return { s3Uri: output };
  }
  if (served === undefined) {
    notes.push(`Model ${model.name} has no model data URL (deployed from a package?); recording the training job's output ${output}.`);
    return { s3Uri: output as string, name: model.name };
  }
  if (output !== undefined && served !== output) {
    // Pipelines repack models (RepackModel step), so this is usually right; say so in case it is not.
    notes.push(`Model ${model.name} serves ${served}, not the training job's output ${output}; the Model artifact stands for ${served}.`);
  }
  return { s3Uri: served, name: model.name };
}

async function featureGroupsOf(account: LineageAccount, names: readonly string[]): Promise<FeatureGroupResource[]> {
  const unique = [...new Set(names)];
  const found = await mapPool(unique, account.concurrency, (name) => account.describeFeatureGroup(name));
  const missing = unique.filter((_, index) => found[index] === undefined);
  if (missing.length > 0) {
    throw new EntityNotFound(missing.join(', '), [], missing.length === 1 ? 'feature group' : 'feature groups');
  }
  // Given both by name and by ARN, one feature group is still one artifact.
  const byArn = new Map((found as FeatureGroupResource[]).map((group) => [group.arn, group]));
  return [...byArn.values()];
}

async function processingOf(account: LineageAccount, request: RecordRequest, notes: string[]): Promise<ProcessingFacts> {
  const name = request.processingJob as string;
  const job = await account.describeProcessingJob(name);
  if (!job) throw new EntityNotFound(name, [], 'processing job');
  const codeName = request.processingCodeInput ?? DEFAULT_PROCESSING_CODE_INPUT;
  const codeInput = job.inputs.find((input) => input.inputName === codeName);
  const inputNames = job.inputs.map((input) => `"${input.inputName}"`).join(', ') || 'none';
  if (!codeInput && request.processingCodeInput !== undefined) {
    throw new BadInput(`Processing job ${job.name} has no input "${codeName}"; its inputs are ${inputNames}.`);
  }
  if (!codeInput) notes.push(`Processing job ${job.name} has no input "${codeName}", so its code is recorded only from a code URL, if given.`);
  const code = codeInput?.s3Uri !== undefined ? { inputName: codeInput.inputName, s3Uri: codeInput.s3Uri } : undefined;

  const wanted = request.processingInputs;
  for (const missing of (wanted ?? []).filter((n) => !job.inputs.some((input) => input.inputName === n))) {
    throw new BadInput(`Processing job ${job.name} has no input "${missing}"; its inputs are ${inputNames}.`);
  }
  const data = job.inputs.filter((input) =>
    wanted ? wanted.includes(input.inputName) : input.inputName !== codeName && !PROCESSING_PLUMBING.has(input.inputName),
  );
  const inputs = data.flatMap((input) => (input.s3Uri !== undefined ? [{ inputName: input.inputName, s3Uri: input.s3Uri }] : []));
  for (const skipped of data.filter((input) => input.s3Uri === undefined)) {
    notes.push(`Input "${skipped.inputName}" of processing job ${job.name} is not an S3 input (Athena or Redshift); it is not recorded.`);
  }
  return { job, ...(code ? { code } : {}), inputs };
}
