// Resolution of what people ask about, over snapshot accounts: ARNs from elsewhere, the new start
// kinds (training and processing jobs, pipeline executions, model package groups), names in
// another case, S3 folders and keys with spaces, and the hints errors carry.
import { describe, expect, it } from 'vitest';
import { AmbiguousName, EntityNotFound, ForeignResource, NoLineageRecorded, WrongKind } from '../../src/lineage/errors.js';
import { LineageService } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { parseSnapshot } from '../../src/lineage/sources/snapshot-file.js';
import { arn, GraphBuilder, LAKE } from '../support/graph-builder.js';
import { demoService, names } from '../support/demo.js';

const DEMO = 'arn:aws:sagemaker:us-east-1:111122223333';
const HOME = { partition: 'aws', region: 'us-east-1', account: '111122223333' };

describe('ARNs and links outside the account the bot reads', () => {
  const service = demoService();
  it.each([
    ['another region and account', 'arn:aws:sagemaker:eu-west-1:999999999999:feature-group/customers', { partition: 'aws', region: 'eu-west-1', account: '999999999999' }],
    ['another account in the same region', 'arn:aws:sagemaker:us-east-1:999999999999:feature-group/customers', { partition: 'aws', region: 'us-east-1', account: '999999999999' }],
    ['another partition', 'arn:aws-cn:sagemaker:us-east-1:111122223333:feature-group/customers', { partition: 'aws-cn', region: 'us-east-1', account: '111122223333' }],
    ['a lineage ARN of another account', 'arn:aws:sagemaker:us-east-1:999999999999:context/customers-fg', { partition: 'aws', region: 'us-east-1', account: '999999999999' }],
  ])('%s is answered as foreign, never with the local same-named entity', async (_, input, where) => {
    const error = await service.consumers(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignResource);
    expect(error).toMatchObject({ input, where, home: HOME });
  });

  it('a console link into another region is foreign too; one into this region answers', async () => {
    const link = (region: string) => `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/feature-store/feature-groups/customers/details`;
    await expect(service.consumers(link('eu-west-1'))).rejects.toMatchObject({ code: 'ForeignResource', where: { region: 'eu-west-1' } });
    expect((await service.consumers(link('us-east-1'))).subject.name).toBe('customers');
    expect((await service.dependencies('https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-detector-prod', 'Endpoint')).subject.name).toBe(
      'fraud-detector-prod',
    );
  });

  it('an ARN in the account that names nothing is not found, with a search for its name, not its account', async () => {
    const error = await service.consumers(`${DEMO}:feature-group/custmers`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntityNotFound);
    expect(error).toMatchObject({ suggestions: ['customers'], searchText: 'custmers' });
  });

  it('when the account is not known, the resource found by name must carry the ARN’s account', async () => {
    // A snapshot whose only ARNs are another account's cannot say where it is; the described
    // resource then tells that a same-named group here is not the one asked about.
    const g = new GraphBuilder();
    g.featureGroup('customers');
    class Unplaced extends SnapshotSource {
      override async scope() {
        return undefined;
      }
    }
    const service = new LineageService(new Unplaced(parseSnapshot(g.document(), 'test'), 'unplaced'), { maxDepth: 10, maxVertices: 100, describeConcurrency: 2 });
    await expect(service.consumers('arn:aws:sagemaker:us-east-1:999999999999:feature-group/customers')).rejects.toMatchObject({
      code: 'ForeignResource',
      home: { account: '111122223333' },
    });
  });
});

describe('training jobs, processing jobs, pipeline executions and model package groups as subjects', () => {
  it('the feature groups behind a training job, by name or ARN, and its trail', async () => {
    const service = demoService();
    for (const input of ['fraud-detector-training-20251102', `${DEMO}:training-job/fraud-detector-training-20251102`]) {
      const answer = await service.dependencies(input);
      expect(answer.subject).toMatchObject({ kind: 'TrainingJob', name: 'fraud-detector-training-20251102' });
      expect(answer.featureGroups.map((d) => d.featureGroup.name)).toEqual(['claims', 'customers']);
      expect(answer.trainingJobs).toEqual([]);
      expect(answer.models).toEqual([]);
    }
    const trail = await service.trail('fraud-detector-training-20251102', 'Model');
    expect(trail.stages.map((s) => s.kind)).toEqual(['DataSource', 'Code', 'ProcessingJob', 'FeatureGroup', 'Dataset', 'TrainingJob', 'Model', 'Endpoint', 'Other']);
  });

  it('the feature groups a processing job builds, by name or ARN', async () => {
    const service = demoService();
    for (const input of ['fraud-feature-pipeline-20251101', `${DEMO}:processing-job/fraud-feature-pipeline-20251101`]) {
      const answer = await service.builtFrom(input);
      expect(answer.subject).toMatchObject({ kind: 'ProcessingJob' });
      // claims-enriched is built from claims, which the job builds: it is built from the job's output too.
      expect(answer.featureGroups.map((g) => [g.featureGroup.name, names(g.through ?? [])])).toEqual([
        ['claims', []],
        ['customers', []],
        ['claims-enriched', ['claims']],
      ]);
    }
  });

  it('the feature groups a pipeline execution builds, through the jobs in its trial', async () => {
    const answer = await demoService().builtFrom(`${DEMO}:pipeline/fraud-features/execution/8f3k2q1x7b0m`);
    expect(answer.subject).toMatchObject({ kind: 'PipelineExecution', name: 'fraud-features-20251101' });
    expect(answer.featureGroups.map((g) => [g.featureGroup.name, names(g.through ?? [])])).toEqual([
      ['claims', []],
      ['customers', []],
      ['claims-enriched', ['claims']],
    ]);
  });

  it('a pipeline execution whose jobs were not recorded in a trial has no lineage recorded', async () => {
    const g = new GraphBuilder();
    const job = g.processingJob('build');
    g.chain(job, g.featureGroup('customers'));
    const execution = g.pipelineExecution('features', 'run1', [job], { trial: false });
    await expect(g.service().builtFrom(execution)).rejects.toBeInstanceOf(NoLineageRecorded);
  });

  it('the models of a model package group, through its context or, without one, its versions', async () => {
    for (const context of [true, false]) {
      const g = new GraphBuilder();
      const fg = g.featureGroup('customers');
      const train = g.trainingJob('train-churn');
      const model = g.model('churn');
      g.chain(fg, g.dataset('churn-train', 'SELECT age FROM "db"."customers_1700000000"'), train, model);
      g.modelPackageGroup('churn-models', [model], { context });
      const service = g.service();
      const trail = await service.trail('churn-models', 'Model');
      expect(trail.subject).toMatchObject({ kind: 'ModelPackage', name: 'churn-models' });
      const stage = (kind: string) => names(trail.stages.find((s) => s.kind === kind)?.entities ?? []);
      expect(stage('Model')).toEqual(['churn']);
      expect(stage('ModelPackage')).toEqual(context ? ['churn-models', 'churn-models/1'] : ['churn-models/1']);
      expect(names((await service.dependencies(arn.modelPackageGroup('churn-models'))).featureGroups.map((d) => d.featureGroup))).toEqual(['customers']);
    }
  });

  it('a training job asked for consumers is the wrong kind, saying how to ask about it', async () => {
    const error = await demoService().consumers('fraud-detector-training-20251102').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongKind);
    expect(error).toMatchObject({ actualKind: 'training job', hint: { kind: 'TrainingJob', input: 'fraud-detector-training-20251102' } });
  });
});

describe('names as people type them', () => {
  it('another case finds the one entity with that name', async () => {
    const service = demoService();
    expect((await service.consumers('Customers')).subject.name).toBe('customers');
    expect((await service.trail('FRAUD-DETECTOR', 'Model')).subject.name).toBe('fraud-detector');
    expect((await service.builtFrom('Claims.CSV')).subject.name).toBe(`s3://demo-ml-lake/raw/claims.csv`);
  });

  it('another case that several entities share is ambiguous', async () => {
    const g = new GraphBuilder();
    g.featureGroup('Customers');
    g.featureGroup('CUSTOMERS');
    await expect(g.service().consumers('customers')).rejects.toBeInstanceOf(AmbiguousName);
  });

  it('a data source whose key has spaces, by URI or file name', async () => {
    const g = new GraphBuilder();
    const raw = g.dataSource(`${LAKE}/raw/claims 2024.csv`);
    g.chain(raw, g.processingJob('build'), g.featureGroup('claims'));
    const service = g.service();
    for (const input of [`${LAKE}/raw/claims 2024.csv`, 'claims 2024.csv', 'raw/claims 2024.csv']) {
      expect(names((await service.builtFrom(input)).featureGroups.map((f) => f.featureGroup))).toEqual(['claims']);
    }
  });

  it('an S3 folder is the one data source under it, or the choice between them', async () => {
    const service = demoService();
    await expect(service.builtFrom('s3://demo-ml-lake/raw/')).rejects.toMatchObject({ code: 'AmbiguousName', candidates: expect.arrayContaining([expect.objectContaining({ name: 's3://demo-ml-lake/raw/claims.csv' })]) });
    const g = new GraphBuilder();
    const raw = g.dataSource(`${LAKE}/only/customers.csv`);
    g.chain(raw, g.processingJob('build'), g.featureGroup('customers'));
    expect((await g.service().builtFrom(`${LAKE}/only/`)).subject.name).toBe(`${LAKE}/only/customers.csv`);
  });

  it('a model asked as an endpoint names the endpoints serving it; an endpoint asked as a model, its models', async () => {
    const service = demoService();
    await expect(service.dependencies('fraud-detector', 'Endpoint')).rejects.toMatchObject({
      code: 'WrongKind',
      hint: { kind: 'Model', input: 'fraud-detector', related: { kind: 'Endpoint', names: ['fraud-detector-prod'] } },
    });
    await expect(service.trail('claims-triage', 'Endpoint')).rejects.toMatchObject({ hint: { related: { kind: 'Endpoint', names: [] } } });
    await expect(service.trail('fraud-detector-prod', 'Model')).rejects.toMatchObject({
      hint: { kind: 'Endpoint', related: { kind: 'Model', names: ['fraud-detector'] } },
    });
  });

  it('a name search would refuse is not offered as a search', async () => {
    await expect(demoService().consumers('x')).rejects.toMatchObject({ code: 'EntityNotFound', searchText: undefined });
    await expect(demoService().consumers('zz-none')).rejects.toMatchObject({ code: 'EntityNotFound', searchText: 'zz-none' });
  });
});
