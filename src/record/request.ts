// What a caller asks `record` to write: the inputs of ml-lineage-helper's create_ml_lineage,
// named rather than positional, with code locations already turned into git URLs.

/** The SageMaker Python SDK's channel names for training and test data, used unless told otherwise. */
export const DEFAULT_TRAIN_CHANNEL = 'train';
export const DEFAULT_TEST_CHANNEL = 'test';
/** The input name the SageMaker Python SDK gives a processing job's code (ScriptProcessor, FrameworkProcessor). */
export const DEFAULT_PROCESSING_CODE_INPUT = 'code';

export interface RecordRequest {
  /** The training job whose lineage is recorded. */
  trainingJob: string;
  /** The SageMaker model created from the job; its Model artifact gets SageMakerModelName. */
  model?: string;
  /** Feature groups (names or ARNs) the training and test datasets were queried from. */
  featureGroups?: readonly string[];
  /** The feature-store query that built the training dataset (and the test dataset unless `testQuery`). */
  query?: string;
  /** A different query for the test dataset. */
  testQuery?: string;
  /** The processing job that built the feature groups. */
  processingJob?: string;
  /** The processing job's input holding its code (default "code"). */
  processingCodeInput?: string;
  /** The processing job's inputs that are its data; default every S3 input but the code. */
  processingInputs?: readonly string[];
  /** The training job's channel of training data (default "train"). */
  trainChannel?: string;
  /** Its channel of test data (default "test"); false when the job has no test dataset. */
  testChannel?: string | false;
  /** Browsable git URL of the training code (the Code artifact's GitURL). */
  trainingCodeUrl?: string;
  /** Browsable git URL of the processing code. */
  processingCodeUrl?: string;
  /** Replace property values that differ on existing artifacts instead of refusing. */
  overwriteProperties?: boolean;
}

/** Combinations that cannot be recorded, caught before any call. */
export function requestProblems(request: RecordRequest): string[] {
  const problems: string[] = [];
  if (request.trainingJob.trim() === '') problems.push('A training job name is required.');
  const needsProcessingJob: [keyof RecordRequest, string][] = [
    ['processingCodeUrl', 'A processing code URL'],
    ['processingCodeInput', 'A processing code input'],
    ['processingInputs', 'Processing inputs'],
  ];
  for (const [key, what] of needsProcessingJob) {
    if (request[key] !== undefined && request.processingJob === undefined) problems.push(`${what} needs the processing job.`);
  }
  if (request.testQuery !== undefined && request.testChannel === false) problems.push('A test query needs a test channel.');
  for (const [key, url] of [['training', request.trainingCodeUrl], ['processing', request.processingCodeUrl]] as const) {
    // The value is not echoed: a mistyped URL may hold a token.
    if (url === undefined) continue;
    if (!/^https?:\/\/[^\s/]+\/\S+$/.test(url)) problems.push(`The ${key} code URL must be an http(s) link to the code.`);
    else if (/^https?:\/\/[^/]*@/.test(url)) problems.push(`The ${key} code URL holds credentials; give the link without them.`);
  }
  return problems;
}
