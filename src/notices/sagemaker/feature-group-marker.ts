// The FeatureGroupMarker over the real SageMaker API (NOTICE_WRITE_BACK, iam/write-back.json):
// AddTags on the feature group and UpdateFeatureMetadata on its features. The SDK retries
// throttling, 5xx and timeouts first (AWS_MAX_ATTEMPTS); what still fails leaves as the domain
// errors the write-back runner sorts into "try again later" and "give up". Only these two writes
// are imported here, so test/app/iam-policies.test.ts can hold iam/write-back.json to them.
import { AddTagsCommand, UpdateFeatureMetadataCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { BadInput, EntityNotFound, SourceUnavailable, type LineageError } from '../../lineage/errors.js';
import { isNotFound, toLineageError } from '../../lineage/sources/sagemaker-errors.js';
import { createSageMakerClient, SageMakerCalls, type SageMakerSourceOptions } from '../../lineage/sources/sagemaker-client.js';
import type { FeatureGroupMarker } from '../ports.js';

/** HTTP status of an SDK error, when SageMaker answered at all. */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

export class SageMakerFeatureGroupMarker implements FeatureGroupMarker {
  private readonly calls = new SageMakerCalls(2);

  constructor(private readonly client: SageMakerClient) {}

  async tagFeatureGroup(featureGroupArn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await this.send('AddTags', featureGroupArn, () => this.client.send(new AddTagsCommand({ ResourceArn: featureGroupArn, Tags })));
  }

  async setFeatureParameters(featureGroup: string, feature: string, parameters: Readonly<Record<string, string>>): Promise<void> {
    const ParameterAdditions = Object.entries(parameters).map(([Key, Value]) => ({ Key, Value }));
    await this.send('UpdateFeatureMetadata', `${featureGroup}.${feature}`, () =>
      this.client.send(new UpdateFeatureMetadataCommand({ FeatureGroupName: featureGroup, FeatureName: feature, ParameterAdditions })),
    );
  }

  /**
   * A missing group or feature is EntityNotFound, and any other refusal SageMaker gives (a
   * ValidationException: 4xx that is not throttling or a permission) is BadInput: sending it
   * again cannot help. Throttling, 5xx and network failures stay retryable.
   */
  private async send(operation: string, what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await this.calls.call(operation, run);
    } catch (error) {
      const cause = (error as LineageError).cause;
      if (isNotFound(cause ?? error)) throw new EntityNotFound(what, [], 'feature group or feature');
      const status = statusOf(cause);
      if (error instanceof SourceUnavailable && status !== undefined && status >= 400 && status < 500) throw new BadInput(error.message);
      throw error instanceof Error ? error : toLineageError(operation, error);
    }
  }
}

export function createFeatureGroupMarker(options: SageMakerSourceOptions): SageMakerFeatureGroupMarker {
  return new SageMakerFeatureGroupMarker(createSageMakerClient(options));
}
