// The lineage a recording should leave behind, in ml-lineage-helper's convention so that either
// tool reads what the other wrote:
//
//   processing inputs (DataSet "ProcessingInputData") ─┐
//   processing code   (Code "ProcessingCode", GitURL) ─┴─ContributedTo→ ProcessingJob artifact (SourceUri: job ARN)
//   ProcessingJob ─ContributedTo→ FeatureGroup "fg-<name>" (SourceUri: feature group ARN)
//   fg-<name> ─ContributedTo→ DataSet "TrainingData" / "TestingData" (Base64FeatureStoreQueryString)
//   datasets, Code "TrainingCode" ─ContributedTo→ the training job's trial component ─Produced→ Model (SageMakerModelName)
//
// Pure: facts in, desired artifacts and associations out. One artifact stands for one SourceUri.
import { FEATURE_STORE_QUERY_PROPERTY } from '../lineage/classify.js';
import { BadInput } from '../lineage/errors.js';
import type { AssociationType } from '../lineage/lineage-source.js';
import type { RecordFacts } from './facts.js';
import type { RecordRequest } from './request.js';

/** ArtifactProperties values are at most 4096 characters (CreateArtifact's ArtifactPropertyValue). */
export const MAX_PROPERTY_LENGTH = 4096;

export interface DesiredArtifact {
  /** ArtifactName and ArtifactType if it has to be created; an existing artifact keeps its own. */
  name: string;
  type: string;
  sourceUri: string;
  properties: Record<string, string>;
  /** What it is in this recording, for messages ("training data (channel train)"). */
  role: string;
}

/** An association end: an artifact of this recording (by SourceUri) or an entity that already exists. */
export type End = { artifact: string } | { arn: string; role: string };

export interface DesiredAssociation {
  source: End;
  destination: End;
  type: AssociationType;
}

export interface DesiredLineage {
  artifacts: DesiredArtifact[];
  associations: DesiredAssociation[];
}

/** ArtifactName allows letters, digits and hyphens ([a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}); feature group names may hold underscores. */
export function artifactName(text: string): string {
  return text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120).replace(/-+$/, '') || 'artifact';
}

/** The helper's encoding of a feature-store query, whole: it cut values at 256 characters, which breaks the query. */
export function encodeQuery(query: string, what: string): string {
  const encoded = Buffer.from(query.trim(), 'utf8').toString('base64');
  if (query.trim() === '') throw new BadInput(`The ${what} query is empty.`);
  if (encoded.length > MAX_PROPERTY_LENGTH) {
    throw new BadInput(
      `The ${what} query is too long to record: base64 makes it ${encoded.length} characters and an artifact property holds ${MAX_PROPERTY_LENGTH}.`,
      'A query of up to 3072 bytes fits.',
    );
  }
  return encoded;
}

/** Collects artifacts by SourceUri (merging the roles and properties of two that share one) and the links between them. */
export class LineageBuilder {
  private readonly byUri = new Map<string, DesiredArtifact>();
  private readonly associations: DesiredAssociation[] = [];

  artifact(artifact: DesiredArtifact): End {
    const existing = this.byUri.get(artifact.sourceUri);
    if (!existing) {
      this.byUri.set(artifact.sourceUri, { ...artifact, properties: { ...artifact.properties } });
      return { artifact: artifact.sourceUri };
    }
    for (const [key, value] of Object.entries(artifact.properties)) {
      const held = existing.properties[key];
      if (held !== undefined && held !== value) {
        throw new BadInput(
          `The ${existing.role} and the ${artifact.role} are the same S3 location (${artifact.sourceUri}), one artifact, but would get different ${key} values.`,
          'Give both datasets the same query, or record them from different locations.',
        );
      }
      existing.properties[key] = value;
    }
    if (!existing.role.includes(artifact.role)) existing.role = `${existing.role} and ${artifact.role}`;
    return { artifact: artifact.sourceUri };
  }

  link(source: End, destination: End, type: AssociationType = 'ContributedTo'): void {
    const key = (end: End) => ('artifact' in end ? `artifact:${end.artifact}` : end.arn);
    if (key(source) === key(destination)) return; // one location both read and written: no self-loop
    if (this.associations.some((a) => key(a.source) === key(source) && key(a.destination) === key(destination))) return;
    this.associations.push({ source, destination, type });
  }

  build(): DesiredLineage {
    return { artifacts: [...this.byUri.values()], associations: [...this.associations] };
  }
}

export function desiredLineage(facts: RecordFacts, request: RecordRequest): DesiredLineage {
  const builder = new LineageBuilder();
  const link = builder.link.bind(builder);
  const job = facts.trainingJob;

  // Artifacts in the order data flows through them, which is also the order they are reported in.
  const processing = facts.processing && processingArtifacts(builder, facts.processing, request);
  const groups = facts.featureGroups.map((group) =>
    builder.artifact({
      name: artifactName(`fg-${group.name}`),
      type: 'FeatureGroup',
      sourceUri: group.arn,
      properties: {},
      role: `feature group ${group.name}`,
    }),
  );
  const datasets = datasetArtifacts(builder, facts, request);
  // Without an S3 copy of the code (built-in algorithms, code in the image) the git URL itself is the source.
  const trainingCodeUri = job.submitDirectory ?? request.trainingCodeUrl;
  const trainingCode =
    trainingCodeUri !== undefined &&
    builder.artifact({
      name: 'TrainingCode',
      type: 'Code',
      sourceUri: trainingCodeUri,
      properties: request.trainingCodeUrl !== undefined ? { GitURL: request.trainingCodeUrl } : {},
      role: 'training code',
    });
  const model = builder.artifact({
    name: 'Model',
    type: 'Model',
    sourceUri: facts.model.s3Uri,
    properties: facts.model.name !== undefined ? { SageMakerModelName: facts.model.name } : {},
    role: facts.model.name !== undefined ? `model ${facts.model.name}` : `model of ${job.name}`,
  });
  const trialComponent: End = { arn: facts.trialComponentArn, role: `training job ${job.name}` };

  if (processing) {
    for (const input of processing.inputs) link(input, processing.job);
    // The helper's rule: a processing job builds the feature groups, or, with none, the datasets themselves.
    if (groups.length > 0) for (const group of groups) link(processing.job, group);
    else for (const dataset of datasets) link(processing.job, dataset, 'Produced');
  }
  for (const group of groups) for (const dataset of datasets) link(group, dataset);
  for (const dataset of datasets) link(dataset, trialComponent);
  if (trainingCode) link(trainingCode, trialComponent);
  link(trialComponent, model, 'Produced');

  return builder.build();
}

/** The processing job's artifact and what contributed to it: its data inputs and its code. */
function processingArtifacts(builder: LineageBuilder, facts: NonNullable<RecordFacts['processing']>, request: RecordRequest) {
  const inputs = facts.inputs.map((input) =>
    builder.artifact({
      name: 'ProcessingInputData',
      type: 'DataSet',
      sourceUri: input.s3Uri,
      properties: {},
      role: `processing input "${input.inputName}"`,
    }),
  );
  const codeUri = facts.code?.s3Uri ?? request.processingCodeUrl;
  if (codeUri !== undefined) {
    inputs.push(
      builder.artifact({
        name: 'ProcessingCode',
        type: 'Code',
        sourceUri: codeUri,
        properties: request.processingCodeUrl !== undefined ? { GitURL: request.processingCodeUrl } : {},
        role: 'processing code',
      }),
    );
  }
  const job = builder.artifact({
    name: 'ProcessingJob',
    type: 'ProcessingJob',
    sourceUri: facts.job.arn,
    properties: {},
    role: `processing job ${facts.job.name}`,
  });
  return { inputs, job };
}

/** The training (and test) datasets, carrying the feature-store query that built them. */
function datasetArtifacts(builder: LineageBuilder, facts: RecordFacts, request: RecordRequest): End[] {
  const query = request.query !== undefined ? encodeQuery(request.query, 'training') : undefined;
  const testQuery = request.testQuery !== undefined ? encodeQuery(request.testQuery, 'test') : query;
  const queryProperty = (encoded: string | undefined): Record<string, string> =>
    encoded !== undefined ? { [FEATURE_STORE_QUERY_PROPERTY]: encoded } : {};
  const train = builder.artifact({
    name: 'TrainingData',
    type: 'DataSet',
    sourceUri: facts.train.s3Uri,
    properties: queryProperty(query),
    role: `training data (channel ${facts.train.channel})`,
  });
  if (!facts.test) return [train];
  const test = builder.artifact({
    name: 'TestingData',
    type: 'DataSet',
    sourceUri: facts.test.s3Uri,
    properties: queryProperty(testQuery),
    role: `test data (channel ${facts.test.channel})`,
  });
  return [train, test];
}
