// What recording and inferring lineage need from a SageMaker account: a few reads of jobs,
// models and feature groups, lookups of existing lineage, and three writes. One adapter
// (sagemaker-account.ts) implements it over the real API; the record engine knows only this.
import type { Association, AssociationType, FeatureGroupClues, FeatureGroupResource, LineageEntity, ModelResource, ProcessingJobResource } from '../lineage/lineage-source.js';

export interface TrainingJobFacts {
  arn: string;
  name: string;
  status: string;
  channels: { channelName: string; s3Uri?: string }[];
  modelArtifactsS3Uri?: string;
  /** Where the SageMaker Python SDK uploaded the training code (hyperparameter sagemaker_submit_directory). */
  submitDirectory?: string;
}

export interface NewArtifact {
  name: string;
  type: string;
  sourceUri: string;
  properties: Readonly<Record<string, string>>;
}

export interface LineageAccount {
  /** Where the account is, for messages ("sagemaker us-east-1"). */
  readonly description: string;
  /** Calls the account accepts at once; the engine queues its reads with this. */
  readonly concurrency: number;

  describeTrainingJob(name: string): Promise<TrainingJobFacts | undefined>;
  describeProcessingJob(name: string): Promise<ProcessingJobResource | undefined>;
  describeModel(name: string): Promise<ModelResource | undefined>;
  describeFeatureGroup(nameOrArn: string): Promise<FeatureGroupResource | undefined>;
  /**
   * Feature groups whose offline store the clues point at, described: every group a channel reading
   * one of `uris`, or a query reading one of `tables`, could have read, and maybe a few more.
   */
  findFeatureGroupsByStore(clues: FeatureGroupClues): Promise<FeatureGroupResource[]>;
  /** Trial components whose source is the job with this ARN (SageMaker records one per job). */
  trialComponentsOf(jobArn: string): Promise<LineageEntity[]>;
  /** Artifacts whose SourceUri is exactly `sourceUri`, described (with their properties). */
  artifactsAt(sourceUri: string): Promise<LineageEntity[]>;
  /** Contexts whose SourceUri is exactly `sourceUri` (the feature processor's feature-group contexts). */
  contextsAt(sourceUri: string): Promise<LineageEntity[]>;
  /** Every association whose destination is `arn`. */
  associationsInto(arn: string): Promise<Association[]>;
  /** Every association whose source is `arn`. */
  associationsFrom(arn: string): Promise<Association[]>;
  describeEntity(arn: string): Promise<LineageEntity | undefined>;

  /** CreateArtifact; returns the new artifact's ARN. */
  createArtifact(artifact: NewArtifact): Promise<string>;
  /** UpdateArtifact with the artifact's complete property list (see the adapter for why complete). */
  setArtifactProperties(arn: string, properties: Readonly<Record<string, string>>): Promise<void>;
  addAssociation(sourceArn: string, destinationArn: string, type: AssociationType): Promise<void>;
}
