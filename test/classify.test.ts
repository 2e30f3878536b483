// Classification of raw lineage entities into the kinds people talk about, for each of the three
// conventions that meet in an account: SageMaker's own records, the ml-lineage-helper library's
// hand-made artifacts, and the Feature Store feature-processor contexts.
import { describe, expect, it } from 'vitest';
import { classifyEntity, coarseKind, kindNeedsDescription } from '../src/lineage/classify.js';
import type { LineageEntity } from '../src/lineage/lineage-source.js';
import { arn, base64, GraphBuilder, LAKE } from './support/graph-builder.js';

/** A lineage entity as the port hands it over: only what the case needs. */
function entity(fields: Partial<LineageEntity> & Pick<LineageEntity, 'lineageType'>): LineageEntity {
  return { arn: arn.artifact('under-test'), properties: {}, ...fields };
}

const MODEL_DATA = `${LAKE}/models/churn-training/output/model.tar.gz`;

describe("SageMaker's own records", () => {
  it('a training job trial component named <job>-aws-training-job is a TrainingJob named after the job', () => {
    const classified = classifyEntity(
      entity({ arn: arn.trialComponent('churn-training-aws-training-job'), lineageType: 'TrialComponent', name: 'churn-training-aws-training-job' }),
    );
    expect(classified).toEqual({
      arn: arn.trialComponent('churn-training-aws-training-job'),
      kind: 'TrainingJob',
      name: 'churn-training',
      lineageType: 'TrialComponent',
      type: 'TrialComponent',
      properties: {},
    });
  });

  it('a trial component with SourceType SageMakerTrainingJob is a TrainingJob named from its source ARN', () => {
    const classified = classifyEntity(
      entity({
        lineageType: 'TrialComponent',
        name: 'churn-training-aws-training-job',
        type: 'SageMakerTrainingJob',
        sourceUri: arn.trainingJob('churn-training'),
      }),
    );
    expect(classified).toMatchObject({ kind: 'TrainingJob', name: 'churn-training', type: 'SageMakerTrainingJob', sourceUri: arn.trainingJob('churn-training') });
  });

  it('a trial component with SourceType SageMakerProcessingJob is a ProcessingJob named from its source ARN', () => {
    const classified = classifyEntity(
      entity({
        lineageType: 'TrialComponent',
        name: 'build-features-aws-processing-job',
        type: 'SageMakerProcessingJob',
        sourceUri: arn.processingJob('build-features'),
      }),
    );
    expect(classified).toMatchObject({ kind: 'ProcessingJob', name: 'build-features', type: 'SageMakerProcessingJob' });
  });

  it('a trial component named <job>-aws-processing-job without a source is a ProcessingJob named after the job', () => {
    const classified = classifyEntity(entity({ lineageType: 'TrialComponent', name: 'build-features-aws-processing-job' }));
    expect(classified).toMatchObject({ kind: 'ProcessingJob', name: 'build-features', type: 'TrialComponent' });
  });

  it('a trial component whose source ARN is a training job is a TrainingJob even without a SourceType', () => {
    const classified = classifyEntity(entity({ lineageType: 'TrialComponent', name: 'custom-name', sourceUri: arn.trainingJob('nightly') }));
    expect(classified).toMatchObject({ kind: 'TrainingJob', name: 'nightly' });
  });

  it('a DataSet artifact for an S3 input is a DataSource named by its URI', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', type: 'DataSet', sourceUri: `${LAKE}/raw/customers.csv` }),
    );
    expect(classified).toEqual({
      arn: arn.artifact('under-test'),
      kind: 'DataSource',
      name: `${LAKE}/raw/customers.csv`,
      lineageType: 'Artifact',
      type: 'DataSet',
      sourceUri: `${LAKE}/raw/customers.csv`,
      properties: {},
    });
  });

  it('a Model artifact SageMaker created (no name, no properties) is a Model named by its model data', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', type: 'Model', sourceUri: MODEL_DATA }));
    expect(classified).toMatchObject({ kind: 'Model', name: MODEL_DATA, type: 'Model' });
  });

  it('an Endpoint context is an Endpoint named from its SourceUri, not from the timestamped context name', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Context', name: 'churn-prod-1700000000', type: 'Endpoint', sourceUri: arn.endpoint('churn-prod') }),
    );
    expect(classified).toMatchObject({ kind: 'Endpoint', name: 'churn-prod', type: 'Endpoint' });
  });

  it('a ModelDeployment action is Other, keeping its name and raw type', () => {
    const classified = classifyEntity(
      entity({
        lineageType: 'Action',
        name: 'churn-prod-1700000000-deployment',
        type: 'ModelDeployment',
        sourceUri: arn.endpointConfig('churn-prod-config'),
      }),
    );
    expect(classified).toMatchObject({ kind: 'Other', name: 'churn-prod-1700000000-deployment', type: 'ModelDeployment' });
  });

  it('a ModelGroup context (a model package group) is a ModelPackage named from its SourceUri', () => {
    const classified = classifyEntity(
      entity({
        lineageType: 'Context',
        name: 'churn-models-1700000000',
        type: 'ModelGroup',
        sourceUri: `arn:aws:sagemaker:us-east-1:111122223333:model-package-group/churn-models`,
      }),
    );
    expect(classified).toMatchObject({ kind: 'ModelPackage', name: 'churn-models', type: 'ModelGroup' });
  });
});

describe('the ml-lineage-helper convention', () => {
  it('an fg-<name> artifact whose SourceUri is the feature group ARN is the FeatureGroup <name>', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', name: 'fg-customers', type: 'FeatureGroup', sourceUri: arn.featureGroup('customers') }),
    );
    expect(classified).toMatchObject({ kind: 'FeatureGroup', name: 'customers', type: 'FeatureGroup', sourceUri: arn.featureGroup('customers') });
  });

  it('the feature group ARN decides, whatever the artifact type says', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', name: 'fg-claims', type: 'DataSet', sourceUri: arn.featureGroup('claims') }),
    );
    expect(classified).toMatchObject({ kind: 'FeatureGroup', name: 'claims', type: 'DataSet' });
  });

  it('an fg-<name> FeatureGroup artifact without an ARN source is named without the fg- prefix', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', name: 'fg-orders', type: 'FeatureGroup', sourceUri: `${LAKE}/offline/orders` }));
    expect(classified).toMatchObject({ kind: 'FeatureGroup', name: 'orders' });
  });

  it('a DataSet with Base64FeatureStoreQueryString is a Dataset named by its URI, keeping the query', () => {
    const query = base64('SELECT age FROM "sagemaker_featurestore"."customers_1700000000"');
    const classified = classifyEntity(
      entity({
        lineageType: 'Artifact',
        name: 'TrainingData',
        type: 'DataSet',
        sourceUri: `${LAKE}/datasets/churn/train.csv`,
        properties: { Base64FeatureStoreQueryString: query },
      }),
    );
    expect(classified).toMatchObject({
      kind: 'Dataset',
      name: `${LAKE}/datasets/churn/train.csv`,
      type: 'DataSet',
      properties: { Base64FeatureStoreQueryString: query },
    });
  });

  it('a DataSet with an empty query property stays a DataSource', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', type: 'DataSet', sourceUri: `${LAKE}/x.csv`, properties: { Base64FeatureStoreQueryString: '' } }),
    );
    expect(classified.kind).toBe('DataSource');
  });

  it('a Code artifact with a GitURL is Code named by the GitURL', () => {
    const gitUrl = 'https://github.com/example/features/blob/main/preprocess.py';
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', name: 'ProcessingCode', type: 'Code', sourceUri: `${LAKE}/code/preprocess.py`, properties: { GitURL: gitUrl } }),
    );
    expect(classified).toMatchObject({ kind: 'Code', name: gitUrl, sourceUri: `${LAKE}/code/preprocess.py` });
  });

  it('a Code artifact without a GitURL is named by its SourceUri', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', name: 'TrainingCode', type: 'Code', sourceUri: `${LAKE}/code/train.py` }));
    expect(classified).toMatchObject({ kind: 'Code', name: `${LAKE}/code/train.py` });
  });

  it('a ProcessingJob artifact whose SourceUri is the job ARN is a ProcessingJob named after the job', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', name: 'ProcessingJob', type: 'ProcessingJob', sourceUri: arn.processingJob('build-features-2025') }),
    );
    expect(classified).toMatchObject({ kind: 'ProcessingJob', name: 'build-features-2025', type: 'ProcessingJob' });
  });

  it('the helper\'s Model artifact (named "Model") is named by its SageMakerModelName property', () => {
    const classified = classifyEntity(
      entity({ lineageType: 'Artifact', name: 'Model', type: 'Model', sourceUri: MODEL_DATA, properties: { SageMakerModelName: 'churn' } }),
    );
    expect(classified).toMatchObject({ kind: 'Model', name: 'churn' });
  });
});

describe('the feature-processor convention', () => {
  it.each([
    ['FeatureGroupPipeline', 'customers-1700000000-feature-group-pipeline'],
    ['FeatureGroupPipelineVersion', 'customers-1700000000-feature-group-pipeline-version'],
  ])('a %s context is the FeatureGroup named from its SourceUri', (type, name) => {
    const classified = classifyEntity(entity({ arn: arn.context(name), lineageType: 'Context', name, type, sourceUri: arn.featureGroup('customers') }));
    expect(classified).toMatchObject({ kind: 'FeatureGroup', name: 'customers', type });
  });

  it.each(['FeatureEngineeringPipeline', 'FeatureEngineeringPipelineVersion'])('a %s context is a FeaturePipeline named from its SourceUri', (type) => {
    const classified = classifyEntity(
      entity({ lineageType: 'Context', name: 'sm-fs-fe-claims-enrichment-1700000000-fep', type, sourceUri: arn.pipeline('claims-enrichment') }),
    );
    expect(classified).toMatchObject({ kind: 'FeaturePipeline', name: 'claims-enrichment', type });
  });
});

describe('model packages', () => {
  it('a Model artifact whose SourceUri is a model package ARN is a ModelPackage named group/version', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', type: 'Model', sourceUri: arn.modelPackage('churn-models', 3) }));
    expect(classified).toMatchObject({ kind: 'ModelPackage', name: 'churn-models/3', type: 'Model' });
  });

  it('a ModelPackage artifact is a ModelPackage', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', name: 'churn-package', type: 'ModelPackage', sourceUri: arn.modelPackage('churn-models', 1) }));
    expect(classified).toMatchObject({ kind: 'ModelPackage', name: 'churn-models/1' });
  });

  it('a ModelPackageGroup context is a ModelPackage', () => {
    const classified = classifyEntity(entity({ lineageType: 'Context', name: 'churn-models', type: 'ModelPackageGroup' }));
    expect(classified).toMatchObject({ kind: 'ModelPackage', name: 'churn-models' });
  });
});

describe('unknown types', () => {
  it('an artifact of an unknown type is Other, named by its name and keeping the raw type', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', name: 'sagemaker-xgboost', type: 'Image', sourceUri: 'xgboost:1.7-1' }));
    expect(classified).toMatchObject({ kind: 'Other', name: 'sagemaker-xgboost', type: 'Image' });
  });

  it('an unnamed artifact of an unknown type is named by its SourceUri', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact', type: 'Metrics', sourceUri: `${LAKE}/eval/metrics.json` }));
    expect(classified).toMatchObject({ kind: 'Other', name: `${LAKE}/eval/metrics.json`, type: 'Metrics' });
  });

  it('an artifact with neither name nor source is named by its ARN and typed by its lineage type', () => {
    const classified = classifyEntity(entity({ lineageType: 'Artifact' }));
    expect(classified).toMatchObject({ kind: 'Other', name: arn.artifact('under-test'), type: 'Artifact' });
  });

  it('a context of an unknown type is Other', () => {
    const classified = classifyEntity(entity({ lineageType: 'Context', name: 'experiment-42', type: 'Experiment' }));
    expect(classified).toMatchObject({ kind: 'Other', name: 'experiment-42', type: 'Experiment' });
  });

  it('a trial component of an unknown source type with a custom name is Other', () => {
    const classified = classifyEntity(entity({ lineageType: 'TrialComponent', name: 'notebook-run-7', type: 'SageMakerTransformJob' }));
    expect(classified).toMatchObject({ kind: 'Other', name: 'notebook-run-7', type: 'SageMakerTransformJob' });
  });
});

describe('classification of entities read from SageMaker shapes', () => {
  it('the snapshot source hands over what the conventions need (SourceType, SourceArn, Properties)', async () => {
    const g = new GraphBuilder();
    const training = g.trainingJob('churn-training');
    const fg = g.featureGroup('customers');
    const pipeline = g.context('customers-1700000000-feature-group-pipeline', 'FeatureGroupPipeline', arn.featureGroup('customers'));
    const dataset = g.dataset('churn-train', 'SELECT * FROM customers_1700000000');
    const source = g.source();

    const kinds = await Promise.all(
      [training, fg, pipeline, dataset].map(async (a) => {
        const described = await source.describeEntity(a);
        if (!described) throw new Error(`not described: ${a}`);
        const { kind, name, type } = classifyEntity(described);
        return { kind, name, type };
      }),
    );
    expect(kinds).toEqual([
      { kind: 'TrainingJob', name: 'churn-training', type: 'SageMakerTrainingJob' },
      { kind: 'FeatureGroup', name: 'customers', type: 'FeatureGroup' },
      { kind: 'FeatureGroup', name: 'customers', type: 'FeatureGroupPipeline' },
      { kind: 'Dataset', name: `${LAKE}/datasets/churn-train/train.csv`, type: 'DataSet' },
    ]);
  });
});

describe('coarseKind: what a QueryLineage vertex tells by its type alone', () => {
  it.each([
    ['Artifact', 'DataSet', 'DataSource'],
    ['Artifact', 'DataSource', 'DataSource'],
    ['Artifact', 'FeatureGroup', 'FeatureGroup'],
    ['Artifact', 'Code', 'Code'],
    ['Artifact', 'ProcessingJob', 'ProcessingJob'],
    ['Artifact', 'Model', 'Model'],
    ['Artifact', 'ModelPackage', 'ModelPackage'],
    ['Artifact', 'Image', 'Other'],
    ['Artifact', undefined, 'Other'],
    ['Context', 'Endpoint', 'Endpoint'],
    ['Context', 'FeatureGroupPipeline', 'FeatureGroup'],
    ['Context', 'FeatureGroupPipelineVersion', 'FeatureGroup'],
    ['Context', 'FeatureEngineeringPipeline', 'FeaturePipeline'],
    ['Context', 'FeatureEngineeringPipelineVersion', 'FeaturePipeline'],
    ['Context', 'ModelGroup', 'ModelPackage'],
    ['Context', 'ModelPackageGroup', 'ModelPackage'],
    ['Context', 'Experiment', 'Other'],
    ['Action', 'ModelDeployment', 'Other'],
    ['Action', undefined, 'Other'],
    ['TrialComponent', 'SageMakerTrainingJob', 'TrainingJob'],
    ['TrialComponent', 'SageMakerProcessingJob', 'ProcessingJob'],
    ['TrialComponent', 'SageMakerTransformJob', 'Other'],
    ['TrialComponent', undefined, 'Other'],
  ] as const)('%s of type %s → %s', (lineageType, type, kind) => {
    expect(coarseKind({ lineageType, ...(type !== undefined ? { type } : {}) })).toBe(kind);
  });

  it('a DataSet vertex is a DataSource until described: only its properties can make it a Dataset', () => {
    expect(coarseKind({ lineageType: 'Artifact', type: 'DataSet' })).toBe('DataSource');
    expect(kindNeedsDescription({ lineageType: 'Artifact', type: 'DataSet' })).toBe(true);
  });
});

describe('kindNeedsDescription: vertices whose kind may change once described', () => {
  it.each([
    ['Artifact', 'DataSet', true], // a feature-store query makes it a Dataset
    ['Artifact', 'Model', true], // a model package source makes it a ModelPackage
    ['Artifact', undefined, true],
    ['Artifact', 'FeatureGroup', false],
    ['Artifact', 'Code', false],
    ['Artifact', 'ProcessingJob', false],
    ['Artifact', 'Image', false],
    ['TrialComponent', undefined, true], // only its name tells a training job
    ['TrialComponent', 'SageMakerTransformJob', true],
    ['TrialComponent', 'SageMakerTrainingJob', false],
    ['TrialComponent', 'SageMakerProcessingJob', false],
    ['Context', 'Endpoint', false],
    ['Context', 'FeatureGroupPipeline', false],
    ['Action', 'ModelDeployment', false],
  ] as const)('%s of type %s → %s', (lineageType, type, needs) => {
    expect(kindNeedsDescription({ lineageType, ...(type !== undefined ? { type } : {}) })).toBe(needs);
  });
});
