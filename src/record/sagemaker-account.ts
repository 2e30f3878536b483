// The LineageAccount over the real SageMaker API. Reads go through SageMakerSource (its paging,
// response validation and error mapping); the three writes share the same habits through
// SageMakerCalls, so a refused or throttled write fails with the same domain errors as a read.
import { AddAssociationCommand, CreateArtifactCommand, UpdateArtifactCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { SourceUnavailable } from '../lineage/errors.js';
import type { Association, AssociationType, FeatureGroupClues, LineageEntity } from '../lineage/lineage-source.js';
import { createSageMakerSource, type SageMakerSource, type SageMakerSourceOptions } from '../lineage/sources/sagemaker.js';
import { createSageMakerClient, SageMakerCalls } from '../lineage/sources/sagemaker-client.js';
import { associationFromShape, trainingJobFromShape } from '../lineage/sources/shapes.js';
import type { LineageAccount, NewArtifact, TrainingJobFacts } from './account.js';

/** The members of DescribeTrainingJob that the shared TrainingJobShape does not read. */
const TrainingJobExtras = z.looseObject({ HyperParameters: z.record(z.string(), z.string()).optional() });

/**
 * The SageMaker Python SDK stores the uploaded code location JSON-encoded
 * (sagemaker_submit_directory = "\"s3://…/sourcedir.tar.gz\""); only an S3 URI is code we can point at.
 */
export function submitDirectoryOf(hyperParameters: Readonly<Record<string, string>> | undefined): string | undefined {
  const raw = hyperParameters?.['sagemaker_submit_directory'];
  if (raw === undefined) return undefined;
  let value = raw.trim();
  if (value.startsWith('"')) {
    try {
      value = String(JSON.parse(value));
    } catch {
      return undefined; // not the SDK's encoding: nothing we can read as a location
    }
  }
  return value.startsWith('s3://') ? value : undefined;
}

export class SageMakerLineageAccount implements LineageAccount {
  private readonly writes: SageMakerCalls;

  constructor(
    private readonly source: SageMakerSource,
    private readonly client: SageMakerClient,
    readonly concurrency: number,
  ) {
    this.writes = new SageMakerCalls(Math.max(1, concurrency));
  }

  get description(): string {
    return this.source.description;
  }

  async describeTrainingJob(name: string): Promise<TrainingJobFacts | undefined> {
    const response = await this.source.describeTrainingJobResponse(name);
    if (!response) return undefined;
    const extras = TrainingJobExtras.safeParse(response);
    if (!extras.success) throw new SourceUnavailable(`SageMaker returned HyperParameters of training job ${name} that the bot cannot read`);
    const submitDirectory = submitDirectoryOf(extras.data.HyperParameters);
    return { ...trainingJobFromShape(response), ...(submitDirectory !== undefined ? { submitDirectory } : {}) };
  }

  describeProcessingJob(name: string) {
    return this.source.describeProcessingJob(name);
  }

  describeModel(name: string) {
    return this.source.describeModel(name);
  }

  describeFeatureGroup(nameOrArn: string) {
    return this.source.describeFeatureGroup(nameOrArn);
  }

  findFeatureGroupsByStore(clues: FeatureGroupClues) {
    return this.source.findFeatureGroupsByStore(clues);
  }

  async trialComponentsOf(jobArn: string): Promise<LineageEntity[]> {
    const summaries = await this.source.listLineageSummaries('TrialComponent', { sourceUri: jobArn });
    const described = await Promise.all(summaries.map((summary) => this.source.describeEntity(summary.arn)));
    return described.filter((entity): entity is LineageEntity => entity !== undefined);
  }

  artifactsAt(sourceUri: string): Promise<LineageEntity[]> {
    return this.source.listEntities({ lineageType: 'Artifact', sourceUri });
  }

  contextsAt(sourceUri: string): Promise<LineageEntity[]> {
    return this.source.listEntities({ lineageType: 'Context', sourceUri });
  }

  async associationsInto(arn: string): Promise<Association[]> {
    return (await this.source.listAllAssociations({ destinationArn: arn })).map(associationFromShape);
  }

  async associationsFrom(arn: string): Promise<Association[]> {
    return (await this.source.listAllAssociations({ sourceArn: arn })).map(associationFromShape);
  }

  describeEntity(arn: string) {
    return this.source.describeEntity(arn);
  }

  async createArtifact(artifact: NewArtifact): Promise<string> {
    const out = await this.writes.call('CreateArtifact', () =>
      this.client.send(
        new CreateArtifactCommand({
          ArtifactName: artifact.name,
          ArtifactType: artifact.type,
          Source: { SourceUri: artifact.sourceUri },
          ...(Object.keys(artifact.properties).length > 0 ? { Properties: { ...artifact.properties } } : {}),
        }),
      ),
    );
    if (!out.ArtifactArn) throw new SourceUnavailable(`SageMaker created the artifact for ${artifact.sourceUri} but returned no ARN`);
    return out.ArtifactArn;
  }

  /**
   * The API reference says UpdateArtifact's Properties "overwrites the current property list";
   * sending the complete list keeps the artifact's other properties however the service reads it.
   * The name is never sent: a reused artifact keeps the name it has.
   */
  async setArtifactProperties(arn: string, properties: Readonly<Record<string, string>>): Promise<void> {
    await this.writes.call('UpdateArtifact', () =>
      this.client.send(new UpdateArtifactCommand({ ArtifactArn: arn, Properties: { ...properties } })),
    );
  }

  async addAssociation(sourceArn: string, destinationArn: string, type: AssociationType): Promise<void> {
    await this.writes.call('AddAssociation', () =>
      this.client.send(new AddAssociationCommand({ SourceArn: sourceArn, DestinationArn: destinationArn, AssociationType: type })),
    );
  }
}

/** The account of the standard AWS configuration (or `client`, in tests), reads and writes sharing one client. */
export function createLineageAccount(options: SageMakerSourceOptions, client?: SageMakerClient): SageMakerLineageAccount {
  const shared = client ?? createSageMakerClient(options);
  return new SageMakerLineageAccount(createSageMakerSource(options, shared), shared, options.concurrency);
}
