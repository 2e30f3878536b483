// Choosing a training job's datasets by channel name. ml-lineage-helper takes the first and
// second InputDataConfig entries as training and test data, which silently records the wrong
// dataset when a job lists a validation channel first; here a missing name is an error.
import { BadInput } from '../lineage/errors.js';
import type { TrainingJobFacts } from './account.js';

export interface ChosenChannel {
  channel: string;
  s3Uri: string;
}

/** The channel named `name`, or a BadInput naming the channels the job does have. */
export function chooseChannel(job: TrainingJobFacts, name: string, flag: string): ChosenChannel {
  const found = job.channels.find((c) => c.channelName === name);
  if (!found) {
    const names = job.channels.map((c) => c.channelName);
    const has = names.length > 0 ? `its channels are ${names.map((n) => `"${n}"`).join(', ')}` : 'it has no input channels';
    throw new BadInput(
      `Training job ${job.name} has no channel "${name}"; ${has}.`,
      `Name the channels with --train-channel and --test-channel (${flag} is the one that did not match), or use --no-test-channel for a job without test data.`,
    );
  }
  if (found.s3Uri === undefined) {
    throw new BadInput(
      `Channel "${name}" of training job ${job.name} does not read from S3, so it cannot be recorded as a dataset.`,
      'Only S3 channels (S3DataSource) are datasets in SageMaker lineage.',
    );
  }
  return { channel: name, s3Uri: found.s3Uri };
}
