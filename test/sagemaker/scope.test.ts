// The SageMaker adapter's new calls, at the HTTP level against the real SageMakerClient: learning
// the account read (without any permission beyond the read-only ones), and the lookups that make
// training jobs, processing jobs, pipeline executions and model package groups subjects.
import { describe, expect, it } from 'vitest';
import { LineageService } from '../../src/lineage/service.js';
import { awsError, JSON_11, sagemaker, testSource } from '../support/sagemaker-nock.js';

const HOME = 'arn:aws:sagemaker:us-east-1:111122223333';
const LIMITS = { maxDepth: 10, maxVertices: 100, describeConcurrency: 2 };

describe('the account and region read', () => {
  it('the region is the configured one; the account is read off the first feature group listed', async () => {
    sagemaker('ListFeatureGroups', { MaxResults: 1 }).reply(
      200,
      { FeatureGroupSummaries: [{ FeatureGroupName: 'customers', FeatureGroupArn: `${HOME}:feature-group/customers`, CreationTime: 1, FeatureGroupStatus: 'Created' }] },
      JSON_11,
    );
    const source = testSource();
    expect(await source.scope()).toEqual({ partition: 'aws', region: 'us-east-1', account: '111122223333' });
    // Known once learned: no second call (the harness fails on an unexpected request).
    expect(await source.scope()).toEqual({ partition: 'aws', region: 'us-east-1', account: '111122223333' });
  });

  it('an account with no feature group is read off a context, then an artifact', async () => {
    sagemaker('ListFeatureGroups', { MaxResults: 1 }).reply(200, { FeatureGroupSummaries: [] }, JSON_11);
    sagemaker('ListContexts', { MaxResults: 1 }).reply(200, { ContextSummaries: [] }, JSON_11);
    sagemaker('ListArtifacts', { MaxResults: 1 }).reply(200, { ArtifactSummaries: [{ ArtifactArn: `${HOME}:artifact/abc`, ArtifactType: 'DataSet' }] }, JSON_11);
    expect(await testSource().scope()).toEqual({ partition: 'aws', region: 'us-east-1', account: '111122223333' });
  });

  it('an empty account, or one the probes cannot list, has an unknown account, asked again next time', async () => {
    sagemaker('ListFeatureGroups', { MaxResults: 1 }).reply(400, awsError('AccessDeniedException', 'not allowed'), JSON_11);
    const source = testSource({ region: 'cn-north-1' });
    expect(await source.scope()).toEqual({ partition: 'aws-cn', region: 'cn-north-1' });
    sagemaker('ListFeatureGroups', { MaxResults: 1 }).reply(200, { FeatureGroupSummaries: [] }, JSON_11);
    sagemaker('ListContexts', { MaxResults: 1 }).reply(200, { ContextSummaries: [{ ContextArn: 'arn:aws-cn:sagemaker:cn-north-1:111122223333:context/x' }] }, JSON_11);
    expect(await source.scope()).toEqual({ partition: 'aws-cn', region: 'cn-north-1', account: '111122223333' });
  });

  it('an ARN of another account or region is answered as foreign without looking up the same name here', async () => {
    sagemaker('ListFeatureGroups', { MaxResults: 1 }).reply(
      200,
      { FeatureGroupSummaries: [{ FeatureGroupName: 'customers', FeatureGroupArn: `${HOME}:feature-group/customers`, CreationTime: 1, FeatureGroupStatus: 'Created' }] },
      JSON_11,
    );
    // No DescribeFeatureGroup is mocked: describing the local "customers" would fail the test.
    const service = new LineageService(testSource(), LIMITS);
    await expect(service.consumers('arn:aws:sagemaker:eu-west-1:999999999999:feature-group/customers')).rejects.toMatchObject({
      code: 'ForeignResource',
      where: { region: 'eu-west-1', account: '999999999999' },
      home: { region: 'us-east-1', account: '111122223333' },
    });
    await expect(service.consumers('arn:aws-cn:sagemaker:us-east-1:111122223333:feature-group/customers')).rejects.toMatchObject({ code: 'ForeignResource' });
  });
});

describe('new start kinds', () => {
  it('a training job: DescribeTrainingJob, then its trial component by SourceArn, from the summary alone', async () => {
    const jobArn = `${HOME}:training-job/churn-train`;
    sagemaker('DescribeTrainingJob', { TrainingJobName: 'churn-train' }).reply(
      200,
      { TrainingJobName: 'churn-train', TrainingJobArn: jobArn, TrainingJobStatus: 'Completed', CreationTime: 1 },
      JSON_11,
    );
    sagemaker('ListTrialComponents', { SourceArn: jobArn, MaxResults: 100 }).reply(
      200,
      {
        TrialComponentSummaries: [
          {
            TrialComponentName: 'churn-train-aws-training-job',
            TrialComponentArn: `${HOME}:experiment-trial-component/churn-train-aws-training-job`,
            TrialComponentSource: { SourceArn: jobArn, SourceType: 'SageMakerTrainingJob' },
          },
        ],
      },
      JSON_11,
    );
    const subject = await new LineageService(testSource(), LIMITS).resolve('churn-train', ['TrainingJob']);
    expect(subject.ref).toEqual({ kind: 'TrainingJob', name: 'churn-train', arn: `${HOME}:experiment-trial-component/churn-train-aws-training-job`, sourceUri: jobArn });
  });

  it('a model package group: DescribeModelPackageGroup, and ListModelPackages newest first over every page', async () => {
    const groupArn = `${HOME}:model-package-group/churn-models`;
    sagemaker('DescribeModelPackageGroup', { ModelPackageGroupName: 'churn-models' }).reply(
      200,
      { ModelPackageGroupName: 'churn-models', ModelPackageGroupArn: groupArn, ModelPackageGroupStatus: 'Completed', CreationTime: 1, CreatedBy: {} },
      JSON_11,
    );
    const summary = (version: number) => ({
      ModelPackageName: 'churn-models',
      ModelPackageGroupName: 'churn-models',
      ModelPackageVersion: version,
      ModelPackageArn: `${HOME}:model-package/churn-models/${version}`,
      ModelPackageStatus: 'Completed',
      ModelApprovalStatus: 'Approved',
      CreationTime: version,
    });
    sagemaker('ListModelPackages', { ModelPackageGroupName: groupArn, SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 100 }).reply(
      200,
      { ModelPackageSummaryList: [summary(2)], NextToken: 'p2' },
      JSON_11,
    );
    sagemaker('ListModelPackages', { ModelPackageGroupName: groupArn, NextToken: 'p2' }).reply(200, { ModelPackageSummaryList: [summary(1)] }, JSON_11);
    const source = testSource();
    expect(await source.describeModelPackageGroup('churn-models')).toEqual({ arn: groupArn, name: 'churn-models', status: 'Completed', creationTime: new Date(1000) });
    expect((await source.listModelPackages(groupArn)).map((p) => [p.version, p.approvalStatus])).toEqual([
      [2, 'Approved'],
      [1, 'Approved'],
    ]);
  });

  it('a model package group that does not exist is undefined; a name SageMaker cannot hold costs no call', async () => {
    sagemaker('DescribeModelPackageGroup').reply(400, awsError('ValidationException', 'ModelPackageGroup churn-nope does not exist.'), JSON_11);
    const source = testSource();
    expect(await source.describeModelPackageGroup('churn-nope')).toBeUndefined();
    expect(await source.describeModelPackageGroup('not_a_group_name')).toBeUndefined();
  });

  it('a pipeline execution: DescribePipelineExecution, then the trial components of its trial', async () => {
    const executionArn = `${HOME}:pipeline/features/execution/run1`;
    sagemaker('DescribePipelineExecution', { PipelineExecutionArn: executionArn }).reply(
      200,
      {
        PipelineExecutionArn: executionArn,
        PipelineArn: `${HOME}:pipeline/features`,
        PipelineExecutionStatus: 'Succeeded',
        PipelineExperimentConfig: { ExperimentName: 'features', TrialName: 'run1' },
        CreationTime: 1,
      },
      JSON_11,
    );
    sagemaker('ListTrialComponents', { TrialName: 'run1', MaxResults: 100 }).reply(
      200,
      {
        TrialComponentSummaries: [
          {
            TrialComponentName: 'build-aws-processing-job',
            TrialComponentArn: `${HOME}:experiment-trial-component/build-aws-processing-job`,
            TrialComponentSource: { SourceArn: `${HOME}:processing-job/build`, SourceType: 'SageMakerProcessingJob' },
          },
        ],
      },
      JSON_11,
    );
    sagemaker('ListContexts', { SourceUri: executionArn }).reply(200, { ContextSummaries: [] }, JSON_11);
    // The execution's ARN names this account: no foreign check fails, but the account is looked up.
    sagemaker('ListFeatureGroups', { MaxResults: 1 }).reply(
      200,
      { FeatureGroupSummaries: [{ FeatureGroupName: 'customers', FeatureGroupArn: `${HOME}:feature-group/customers`, CreationTime: 1, FeatureGroupStatus: 'Created' }] },
      JSON_11,
    );
    const subject = await new LineageService(testSource(), LIMITS).resolve(executionArn, ['PipelineExecution']);
    expect(subject.ref).toMatchObject({ kind: 'PipelineExecution', name: 'features/run1', sourceUri: executionArn });
    expect(subject.starts.map((s) => s.kind)).toEqual(['ProcessingJob']);
  });

  it('throttling on a new call is retried like every other', async () => {
    sagemaker('DescribePipelineExecution').reply(400, awsError('ThrottlingException', 'slow down'), JSON_11);
    sagemaker('DescribePipelineExecution').reply(400, awsError('ResourceNotFound', 'no such execution'), JSON_11);
    expect(await testSource().describePipelineExecution(`${HOME}:pipeline/features/execution/gone`)).toBeUndefined();
  });
});
