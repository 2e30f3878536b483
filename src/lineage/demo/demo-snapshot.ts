// The embedded demo: a small account modelled on the SageMaker Feature Store lineage scenario.
// It is written in SageMaker's own shapes (what DescribeArtifact, ListAssociations,
// DescribeFeatureGroup… return) and validated like any snapshot file, so it is also the
// reference example of that format.
//
//   raw/customers.csv ─┐                             ┌─ customers ─┬─ fraud-detector train/test ─ training ─ fraud-detector ─ fraud-detector-prod
//   raw/claims.csv ────┼─ fraud-feature-pipeline ────┴─ claims ────┘
//                      │                                customers ─── churn-predictor train ─ training ─ churn-predictor ─ churn-predictor-prod
//                      └─ claims-enrichment (feature processor) ─ claims-v2 ─ claims-triage train/validation ─ training ─ claims-triage
//   (the validation query names claims-v2's table from before the group was re-created)
//
//   claims (its FeatureGroupPipeline context) ─ enrich-claims (feature processor) ─ claims-enriched
//       ─ claims-severity train ─ training ─ claims-severity ─ claims-severity-prod
//   claims-enriched is built from the feature group claims, so changing claims affects claims-severity.
//
// fraud-feature-pipeline ran as a step of the SageMaker pipeline "fraud-features" (execution
// 8f3k2q1x7b0m): its trial component is in that execution's Experiments trial.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AssociationEdgeType } from '../sources/shapes.js';
import { parseSnapshot, SNAPSHOT_FORMAT_VERSION, type Snapshot } from '../sources/snapshot-file.js';

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const ARN = `arn:aws:sagemaker:${REGION}:${ACCOUNT}`;
const LAKE = 's3://demo-ml-lake';
const FEATURE_DATABASE = 'sagemaker_featurestore';

/** Fixed times (epoch seconds) so that the demo never changes between runs. */
const T = {
  pipeline: 1_761_955_200, // 2025-11-01
  features: 1_761_958_800,
  fraudTraining: 1_762_041_600,
  churnTraining: 1_762_128_000,
  claimsV2: 1_762_214_400,
  triageTraining: 1_762_732_800,
  enriched: 1_762_300_800, // 2025-11-05
  severityTraining: 1_762_905_600, // 2025-11-12
  deploy: 1_762_819_200,
};

/** SageMaker artifact ARNs end in a 32-character hash; derive one from the name so it is stable. */
function artifactArn(key: string): string {
  return `${ARN}:artifact/${createHash('md5').update(key).digest('hex')}`;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

const tables = {
  customers: 'customers_1761958800',
  claims: 'claims_1761958800',
  claimsV2: 'claims_v2_1762214400',
  /** claims-v2's offline table before the group was re-created on 2025-11-04: Glue names carry the creation epoch. */
  claimsV2Earlier: 'claims_v2_1761955200',
  claimsEnriched: 'claims_enriched_1762300800',
};

const queries = {
  fraudTrain: `SELECT c.age, c.tenure_months, c.num_claims_12m, cl.claim_amount, cl.incident_severity, cl.collision_type, cl.fraud
FROM "${FEATURE_DATABASE}"."${tables.claims}" cl
JOIN "${FEATURE_DATABASE}"."${tables.customers}" c ON cl.customer_id = c.customer_id
WHERE cl.event_time < '2025-10-01'`,
  fraudTest: `SELECT c.age, c.tenure_months, c.num_claims_12m, cl.claim_amount, cl.incident_severity, cl.collision_type, cl.fraud
FROM "${FEATURE_DATABASE}"."${tables.claims}" cl
JOIN "${FEATURE_DATABASE}"."${tables.customers}" c ON cl.customer_id = c.customer_id
WHERE cl.event_time >= '2025-10-01'`,
  churnTrain: `SELECT age, tenure_months, num_policies, region, churned
FROM "${FEATURE_DATABASE}"."${tables.customers}"`,
  triageTrain: `SELECT claim_amount, incident_severity, police_report_available, triage_label
FROM "${FEATURE_DATABASE}"."${tables.claimsV2}"`,
  // Recorded against the earlier table; lineage links it to claims-v2 all the same.
  triageValidation: `WITH latest AS (
  SELECT claim_id, claim_amount, incident_severity, triage_label,
         row_number() OVER (PARTITION BY claim_id ORDER BY event_time DESC) AS version
  FROM "${FEATURE_DATABASE}"."${tables.claimsV2Earlier}"
)
SELECT claim_amount, incident_severity, triage_label FROM latest WHERE version = 1`,
  severityTrain: `SELECT claim_amount, incident_severity, claims_last_90d, customer_claim_rate, severity_label
FROM "${FEATURE_DATABASE}"."${tables.claimsEnriched}"`,
};

const a = {
  rawCustomers: artifactArn('raw/customers.csv'),
  rawClaims: artifactArn('raw/claims.csv'),
  rawPolicies: artifactArn('raw/policies.csv'),
  pipelineCode: artifactArn('code/preprocess.py'),
  enrichmentCode: artifactArn('code/claims_enrichment.py'),
  enrichClaimsCode: artifactArn('code/enrich_claims.py'),
  pipelineJob: artifactArn('processing/fraud-feature-pipeline'),
  fgCustomers: artifactArn('fg-customers'),
  fgClaims: artifactArn('fg-claims'),
  fraudTrain: artifactArn('datasets/fraud-detector/train'),
  fraudTest: artifactArn('datasets/fraud-detector/test'),
  churnTrain: artifactArn('datasets/churn-predictor/train'),
  triageTrain: artifactArn('datasets/claims-triage/train'),
  triageValidation: artifactArn('datasets/claims-triage/validation'),
  severityTrain: artifactArn('datasets/claims-severity/train'),
  xgboostImage: artifactArn('image/xgboost'),
  fraudModel: artifactArn('model/fraud-detector'),
  churnModel: artifactArn('model/churn-predictor'),
  triageModel: artifactArn('model/claims-triage'),
  severityModel: artifactArn('model/claims-severity'),
};

const c = {
  enrichmentPipeline: `${ARN}:context/claims-enrichment-fep`,
  claimsV2Group: `${ARN}:context/claims-v2-1762214400-fg`,
  // SageMaker's own context for the feature group claims, which feature-processor pipelines read from.
  claimsGroup: `${ARN}:context/claims-1761958800-feature-group-pipeline`,
  enrichClaimsPipeline: `${ARN}:context/enrich-claims-fep`,
  claimsEnrichedGroup: `${ARN}:context/claims-enriched-1762300800-feature-group-pipeline`,
  fraudEndpoint: `${ARN}:context/fraud-detector-prod-1762819200`,
  churnEndpoint: `${ARN}:context/churn-predictor-prod-1762819200`,
  severityEndpoint: `${ARN}:context/claims-severity-prod-1762819200`,
};

const act = {
  fraudDeploy: `${ARN}:action/fraud-detector-prod-1762819200-deployment`,
  churnDeploy: `${ARN}:action/churn-predictor-prod-1762819200-deployment`,
  severityDeploy: `${ARN}:action/claims-severity-prod-1762819200-deployment`,
};

const jobs = {
  pipeline: 'fraud-feature-pipeline-20251101',
  fraudTraining: 'fraud-detector-training-20251102',
  churnTraining: 'churn-predictor-training-20251103',
  triageTraining: 'claims-triage-training-20251110',
  severityTraining: 'claims-severity-training-20251112',
};

/** The SageMaker pipeline run whose processing step built customers and claims. */
const execution = { pipeline: 'fraud-features', id: '8f3k2q1x7b0m', trial: 'fraud-features-8f3k2q1x7b0m' };

const tc = {
  pipeline: `${ARN}:experiment-trial-component/${jobs.pipeline}-aws-processing-job`,
  fraudTraining: `${ARN}:experiment-trial-component/${jobs.fraudTraining}-aws-training-job`,
  churnTraining: `${ARN}:experiment-trial-component/${jobs.churnTraining}-aws-training-job`,
  triageTraining: `${ARN}:experiment-trial-component/${jobs.triageTraining}-aws-training-job`,
  severityTraining: `${ARN}:experiment-trial-component/${jobs.severityTraining}-aws-training-job`,
};

const modelData = {
  fraud: `${LAKE}/models/${jobs.fraudTraining}/output/model.tar.gz`,
  churn: `${LAKE}/models/${jobs.churnTraining}/output/model.tar.gz`,
  triage: `${LAKE}/models/${jobs.triageTraining}/output/model.tar.gz`,
  severity: `${LAKE}/models/${jobs.severityTraining}/output/model.tar.gz`,
};

const XGBOOST_IMAGE = `683313688378.dkr.ecr.${REGION}.amazonaws.com/sagemaker-xgboost:1.7-1`;

type Shape = Record<string, unknown>;

function artifact(arn: string, name: string, type: string, sourceUri: string, properties: Record<string, string> = {}, time = T.pipeline): Shape {
  return { ArtifactArn: arn, ArtifactName: name, ArtifactType: type, Source: { SourceUri: sourceUri }, Properties: properties, CreationTime: time };
}

function context(arn: string, type: string, sourceUri: string, properties: Record<string, string> = {}, time = T.features): Shape {
  return {
    ContextArn: arn,
    ContextName: arn.split('/').pop(),
    ContextType: type,
    Source: { SourceUri: sourceUri },
    Properties: properties,
    CreationTime: time,
  };
}

function trainingComponent(arn: string, job: string, time: number): Shape {
  return {
    TrialComponentArn: arn,
    TrialComponentName: arn.split('/').pop(),
    DisplayName: job,
    Source: { SourceArn: `${ARN}:training-job/${job}`, SourceType: 'SageMakerTrainingJob' },
    CreationTime: time,
  };
}

function edge(source: string, destination: string, type: z.infer<typeof AssociationEdgeType> = 'ContributedTo'): Shape {
  return { SourceArn: source, DestinationArn: destination, AssociationType: type };
}

function features(list: [string, 'Integral' | 'Fractional' | 'String'][]): Shape[] {
  return list.map(([FeatureName, FeatureType]) => ({ FeatureName, FeatureType }));
}

function featureGroup(name: string, table: string, definitions: Shape[], description: string, time: number): Shape {
  return {
    FeatureGroupArn: `${ARN}:feature-group/${name}`,
    FeatureGroupName: name,
    RecordIdentifierFeatureName: name === 'customers' ? 'customer_id' : 'claim_id',
    EventTimeFeatureName: 'event_time',
    FeatureDefinitions: definitions,
    FeatureGroupStatus: 'Created',
    Description: description,
    OfflineStoreConfig: {
      S3StorageConfig: {
        S3Uri: `${LAKE}/feature-store`,
        ResolvedOutputS3Uri: `${LAKE}/feature-store/${ACCOUNT}/sagemaker/${REGION}/offline-store/${table}/data`,
      },
      DataCatalogConfig: { TableName: table, Catalog: 'AwsDataCatalog', Database: FEATURE_DATABASE },
    },
    CreationTime: time,
  };
}

function model(name: string, dataUrl: string): Shape {
  return {
    ModelName: name,
    ModelArn: `${ARN}:model/${name}`,
    PrimaryContainer: { Image: XGBOOST_IMAGE, ModelDataUrl: dataUrl },
    ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-sagemaker-execution`,
    CreationTime: T.deploy,
  };
}

function endpoint(name: string): Shape {
  return {
    EndpointName: name,
    EndpointArn: `${ARN}:endpoint/${name}`,
    EndpointConfigName: `${name}-config`,
    EndpointStatus: 'InService',
    CreationTime: T.deploy,
    LastModifiedTime: T.deploy,
  };
}

function endpointConfig(endpointName: string, modelName: string): Shape {
  return {
    EndpointConfigName: `${endpointName}-config`,
    EndpointConfigArn: `${ARN}:endpoint-config/${endpointName}-config`,
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: modelName, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
    CreationTime: T.deploy,
  };
}

function trainingJob(name: string, channels: Record<string, string>, output: string, time: number): Shape {
  return {
    TrainingJobName: name,
    TrainingJobArn: `${ARN}:training-job/${name}`,
    TrainingJobStatus: 'Completed',
    SecondaryStatus: 'Completed',
    InputDataConfig: Object.entries(channels).map(([ChannelName, S3Uri]) => ({
      ChannelName,
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri } },
    })),
    ModelArtifacts: { S3ModelArtifacts: output },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    CreationTime: time,
  };
}

function tags(pairs: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(pairs).map(([Key, Value]) => ({ Key, Value }));
}

function demoDocument(): Record<string, unknown> {
  return {
    FormatVersion: SNAPSHOT_FORMAT_VERSION,
    Description: 'Embedded demo: fraud detection on SageMaker Feature Store',
    Artifacts: [
      artifact(a.rawCustomers, 'customers.csv', 'DataSet', `${LAKE}/raw/customers.csv`),
      artifact(a.rawClaims, 'claims.csv', 'DataSet', `${LAKE}/raw/claims.csv`),
      artifact(a.rawPolicies, 'policies.csv', 'DataSet', `${LAKE}/raw/policies.csv`),
      artifact(a.pipelineCode, 'preprocess.py', 'Code', `${LAKE}/code/preprocess.py`, {
        GitURL: 'https://github.com/example-org/fraud-features/blob/main/pipelines/preprocess.py',
      }),
      artifact(a.enrichmentCode, 'claims_enrichment.py', 'Code', `${LAKE}/code/claims_enrichment.py`, {
        GitURL: 'https://github.com/example-org/fraud-features/blob/main/pipelines/claims_enrichment.py',
      }),
      artifact(a.enrichClaimsCode, 'enrich_claims.py', 'TransformationCode', `${LAKE}/code/enrich_claims.py`, {
        GitURL: 'https://github.com/example-org/fraud-features/blob/main/pipelines/enrich_claims.py',
      }, T.enriched),
      artifact(a.pipelineJob, jobs.pipeline, 'ProcessingJob', `${ARN}:processing-job/${jobs.pipeline}`),
      artifact(a.fgCustomers, 'fg-customers', 'FeatureGroup', `${ARN}:feature-group/customers`, {}, T.features),
      artifact(a.fgClaims, 'fg-claims', 'FeatureGroup', `${ARN}:feature-group/claims`, {}, T.features),
      artifact(a.fraudTrain, 'fraud-detector-train', 'DataSet', `${LAKE}/datasets/fraud-detector/train/train.csv`, {
        Base64FeatureStoreQueryString: base64(queries.fraudTrain),
      }, T.fraudTraining),
      artifact(a.fraudTest, 'fraud-detector-test', 'DataSet', `${LAKE}/datasets/fraud-detector/test/test.csv`, {
        Base64FeatureStoreQueryString: base64(queries.fraudTest),
      }, T.fraudTraining),
      artifact(a.churnTrain, 'churn-predictor-train', 'DataSet', `${LAKE}/datasets/churn-predictor/train/train.csv`, {
        Base64FeatureStoreQueryString: base64(queries.churnTrain),
      }, T.churnTraining),
      artifact(a.triageTrain, 'claims-triage-train', 'DataSet', `${LAKE}/datasets/claims-triage/train/train.csv`, {
        Base64FeatureStoreQueryString: base64(queries.triageTrain),
      }, T.triageTraining),
      artifact(a.triageValidation, 'claims-triage-validation', 'DataSet', `${LAKE}/datasets/claims-triage/validation/validation.csv`, {
        Base64FeatureStoreQueryString: base64(queries.triageValidation),
      }, T.triageTraining),
      artifact(a.severityTrain, 'claims-severity-train', 'DataSet', `${LAKE}/datasets/claims-severity/train/train.csv`, {
        Base64FeatureStoreQueryString: base64(queries.severityTrain),
      }, T.severityTraining),
      artifact(a.xgboostImage, 'sagemaker-xgboost', 'Image', XGBOOST_IMAGE),
      artifact(a.fraudModel, 'fraud-detector-model', 'Model', modelData.fraud, { SageMakerModelName: 'fraud-detector' }, T.fraudTraining),
      artifact(a.churnModel, 'churn-predictor-model', 'Model', modelData.churn, { SageMakerModelName: 'churn-predictor' }, T.churnTraining),
      artifact(a.triageModel, 'claims-triage-model', 'Model', modelData.triage, { SageMakerModelName: 'claims-triage' }, T.triageTraining),
      artifact(a.severityModel, 'claims-severity-model', 'Model', modelData.severity, { SageMakerModelName: 'claims-severity' }, T.severityTraining),
    ],
    Contexts: [
      context(c.enrichmentPipeline, 'FeatureEngineeringPipeline', `${ARN}:pipeline/claims-enrichment`, {}, T.claimsV2),
      context(c.claimsV2Group, 'FeatureGroupPipeline', `${ARN}:feature-group/claims-v2`, {}, T.claimsV2),
      context(c.claimsGroup, 'FeatureGroupPipeline', `${ARN}:feature-group/claims`, {}, T.features),
      context(c.enrichClaimsPipeline, 'FeatureEngineeringPipeline', `${ARN}:pipeline/enrich-claims`, {}, T.enriched),
      context(c.claimsEnrichedGroup, 'FeatureGroupPipeline', `${ARN}:feature-group/claims-enriched`, {}, T.enriched),
      context(c.fraudEndpoint, 'Endpoint', `${ARN}:endpoint/fraud-detector-prod`, {}, T.deploy),
      context(c.churnEndpoint, 'Endpoint', `${ARN}:endpoint/churn-predictor-prod`, {}, T.deploy),
      context(c.severityEndpoint, 'Endpoint', `${ARN}:endpoint/claims-severity-prod`, {}, T.deploy),
    ],
    Actions: [
      {
        ActionArn: act.fraudDeploy,
        ActionName: 'fraud-detector-prod-1762819200-deployment',
        ActionType: 'ModelDeployment',
        Source: { SourceUri: `${ARN}:endpoint-config/fraud-detector-prod-config` },
        Status: 'Completed',
        CreationTime: T.deploy,
      },
      {
        ActionArn: act.churnDeploy,
        ActionName: 'churn-predictor-prod-1762819200-deployment',
        ActionType: 'ModelDeployment',
        Source: { SourceUri: `${ARN}:endpoint-config/churn-predictor-prod-config` },
        Status: 'Completed',
        CreationTime: T.deploy,
      },
      {
        ActionArn: act.severityDeploy,
        ActionName: 'claims-severity-prod-1762819200-deployment',
        ActionType: 'ModelDeployment',
        Source: { SourceUri: `${ARN}:endpoint-config/claims-severity-prod-config` },
        Status: 'Completed',
        CreationTime: T.deploy,
      },
    ],
    TrialComponents: [
      {
        TrialComponentArn: tc.pipeline,
        TrialComponentName: `${jobs.pipeline}-aws-processing-job`,
        DisplayName: jobs.pipeline,
        Source: { SourceArn: `${ARN}:processing-job/${jobs.pipeline}`, SourceType: 'SageMakerProcessingJob' },
        Parents: [{ TrialName: execution.trial, ExperimentName: execution.pipeline }],
        CreationTime: T.pipeline,
      },
      trainingComponent(tc.fraudTraining, jobs.fraudTraining, T.fraudTraining),
      trainingComponent(tc.churnTraining, jobs.churnTraining, T.churnTraining),
      trainingComponent(tc.triageTraining, jobs.triageTraining, T.triageTraining),
      trainingComponent(tc.severityTraining, jobs.severityTraining, T.severityTraining),
    ],
    Associations: [
      // ml-lineage-helper: raw data and code → processing job → feature groups
      edge(a.rawCustomers, a.pipelineJob),
      edge(a.rawClaims, a.pipelineJob),
      edge(a.pipelineCode, a.pipelineJob),
      // SageMaker's own record of the same job, the step of a pipeline execution
      edge(tc.pipeline, a.pipelineJob, 'SameAs'),
      edge(a.pipelineJob, a.fgCustomers),
      edge(a.pipelineJob, a.fgClaims),
      // feature processor: raw claims → claims-enrichment pipeline → claims-v2
      edge(a.rawClaims, c.enrichmentPipeline),
      edge(a.enrichmentCode, c.enrichmentPipeline),
      edge(c.enrichmentPipeline, c.claimsV2Group),
      // feature processor: the feature group claims → enrich-claims pipeline → claims-enriched
      edge(c.claimsGroup, c.enrichClaimsPipeline),
      edge(a.enrichClaimsCode, c.enrichClaimsPipeline),
      edge(c.enrichClaimsPipeline, c.claimsEnrichedGroup),
      // feature groups → datasets (feature-store queries) → training
      edge(a.fgCustomers, a.fraudTrain),
      edge(a.fgClaims, a.fraudTrain),
      edge(a.fgCustomers, a.fraudTest),
      edge(a.fgClaims, a.fraudTest),
      edge(a.fgCustomers, a.churnTrain),
      edge(c.claimsV2Group, a.triageTrain),
      edge(c.claimsV2Group, a.triageValidation),
      edge(c.claimsEnrichedGroup, a.severityTrain),
      edge(a.fraudTrain, tc.fraudTraining),
      edge(a.fraudTest, tc.fraudTraining),
      edge(a.xgboostImage, tc.fraudTraining),
      edge(a.churnTrain, tc.churnTraining),
      edge(a.xgboostImage, tc.churnTraining),
      edge(a.triageTrain, tc.triageTraining),
      edge(a.triageValidation, tc.triageTraining),
      edge(a.xgboostImage, tc.triageTraining),
      edge(a.severityTrain, tc.severityTraining),
      edge(a.xgboostImage, tc.severityTraining),
      // SageMaker: training → model → deployment → endpoint
      edge(tc.fraudTraining, a.fraudModel, 'Produced'),
      edge(tc.churnTraining, a.churnModel, 'Produced'),
      edge(tc.triageTraining, a.triageModel, 'Produced'),
      edge(a.fraudModel, act.fraudDeploy),
      edge(act.fraudDeploy, c.fraudEndpoint, 'AssociatedWith'),
      edge(a.churnModel, act.churnDeploy),
      edge(act.churnDeploy, c.churnEndpoint, 'AssociatedWith'),
      edge(tc.severityTraining, a.severityModel, 'Produced'),
      edge(a.severityModel, act.severityDeploy),
      edge(act.severityDeploy, c.severityEndpoint, 'AssociatedWith'),
    ],
    FeatureGroups: [
      featureGroup(
        'customers',
        tables.customers,
        features([
          ['customer_id', 'String'],
          ['age', 'Integral'],
          ['tenure_months', 'Integral'],
          ['region', 'String'],
          ['num_policies', 'Integral'],
          ['num_claims_12m', 'Integral'],
          ['churned', 'Integral'],
          ['event_time', 'Fractional'],
        ]),
        'Customer profile features, one record per customer',
        T.features,
      ),
      featureGroup(
        'claims',
        tables.claims,
        features([
          ['claim_id', 'String'],
          ['customer_id', 'String'],
          ['claim_amount', 'Fractional'],
          ['incident_severity', 'String'],
          ['collision_type', 'String'],
          ['fraud', 'Integral'],
          ['event_time', 'Fractional'],
        ]),
        'Insurance claim features, one record per claim',
        T.features,
      ),
      featureGroup(
        'claims-v2',
        tables.claimsV2,
        features([
          ['claim_id', 'String'],
          ['customer_id', 'String'],
          ['claim_amount', 'Fractional'],
          ['incident_severity', 'String'],
          ['police_report_available', 'Integral'],
          ['triage_label', 'String'],
          ['event_time', 'Fractional'],
        ]),
        'Claims enriched with police reports, built by the claims-enrichment feature processor',
        T.claimsV2,
      ),
      featureGroup(
        'claims-enriched',
        tables.claimsEnriched,
        features([
          ['claim_id', 'String'],
          ['customer_id', 'String'],
          ['claim_amount', 'Fractional'],
          ['incident_severity', 'String'],
          ['claims_last_90d', 'Integral'],
          ['customer_claim_rate', 'Fractional'],
          ['severity_label', 'String'],
          ['event_time', 'Fractional'],
        ]),
        'Claims with per-customer history, built from the feature group claims by the enrich-claims feature processor',
        T.enriched,
      ),
      featureGroup(
        'policies',
        'policies_1762214400',
        features([
          ['claim_id', 'String'],
          ['policy_type', 'String'],
          ['event_time', 'Fractional'],
        ]),
        'Policy features (no lineage recorded yet)',
        T.claimsV2,
      ),
    ],
    Models: [
      model('fraud-detector', modelData.fraud),
      model('churn-predictor', modelData.churn),
      model('claims-triage', modelData.triage),
      model('claims-severity', modelData.severity),
    ],
    Endpoints: [endpoint('fraud-detector-prod'), endpoint('churn-predictor-prod'), endpoint('claims-severity-prod')],
    EndpointConfigs: [
      endpointConfig('fraud-detector-prod', 'fraud-detector'),
      endpointConfig('churn-predictor-prod', 'churn-predictor'),
      endpointConfig('claims-severity-prod', 'claims-severity'),
    ],
    TrainingJobs: [
      trainingJob(
        jobs.fraudTraining,
        { train: `${LAKE}/datasets/fraud-detector/train/train.csv`, test: `${LAKE}/datasets/fraud-detector/test/test.csv` },
        modelData.fraud,
        T.fraudTraining,
      ),
      trainingJob(jobs.churnTraining, { train: `${LAKE}/datasets/churn-predictor/train/train.csv` }, modelData.churn, T.churnTraining),
      trainingJob(
        jobs.triageTraining,
        { train: `${LAKE}/datasets/claims-triage/train/train.csv`, validation: `${LAKE}/datasets/claims-triage/validation/validation.csv` },
        modelData.triage,
        T.triageTraining,
      ),
      trainingJob(jobs.severityTraining, { train: `${LAKE}/datasets/claims-severity/train/train.csv` }, modelData.severity, T.severityTraining),
    ],
    ProcessingJobs: [
      {
        ProcessingJobName: jobs.pipeline,
        ProcessingJobArn: `${ARN}:processing-job/${jobs.pipeline}`,
        ProcessingJobStatus: 'Completed',
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 } },
        AppSpecification: { ImageUri: `683313688378.dkr.ecr.${REGION}.amazonaws.com/sagemaker-data-wrangler-container:3.x` },
        ProcessingInputs: [
          { InputName: 'customers', S3Input: { S3Uri: `${LAKE}/raw/customers.csv`, S3DataType: 'S3Prefix' } },
          { InputName: 'claims', S3Input: { S3Uri: `${LAKE}/raw/claims.csv`, S3DataType: 'S3Prefix' } },
        ],
        ProcessingOutputConfig: {
          Outputs: [
            { OutputName: 'customers', FeatureStoreOutput: { FeatureGroupName: 'customers' } },
            { OutputName: 'claims', FeatureStoreOutput: { FeatureGroupName: 'claims' } },
          ],
        },
        CreationTime: T.pipeline,
      },
    ],
    PipelineExecutions: [
      {
        PipelineExecutionArn: `${ARN}:pipeline/${execution.pipeline}/execution/${execution.id}`,
        PipelineArn: `${ARN}:pipeline/${execution.pipeline}`,
        PipelineExecutionDisplayName: `${execution.pipeline}-20251101`,
        PipelineExecutionStatus: 'Succeeded',
        PipelineExperimentConfig: { ExperimentName: execution.pipeline, TrialName: execution.trial },
        CreationTime: T.pipeline,
      },
    ],
    Tags: {
      [`${ARN}:model/fraud-detector`]: tags({ owner: 'ana.silva@example.com', 'slack-channel': '#fraud-ml', team: 'fraud-ml' }),
      [`${ARN}:endpoint/fraud-detector-prod`]: tags({ owner: 'ana.silva@example.com', 'slack-channel': '#fraud-ml' }),
      [`${ARN}:model/churn-predictor`]: tags({ owner: 'U04CHURN01', team: 'retention' }),
      [`${ARN}:endpoint/churn-predictor-prod`]: tags({ owner: 'U04CHURN01' }),
      [`${ARN}:model/claims-triage`]: tags({ owner: 'ben.okafor@example.com', 'slack-channel': '#claims-ops' }),
      [`${ARN}:model/claims-severity`]: tags({ owner: 'ben.okafor@example.com', 'slack-channel': '#claims-ops' }),
      [`${ARN}:endpoint/claims-severity-prod`]: tags({ owner: 'ben.okafor@example.com', 'slack-channel': '#claims-ops' }),
      [`${ARN}:feature-group/customers`]: tags({ owner: 'priya.nair@example.com', team: 'feature-platform' }),
      [`${ARN}:feature-group/claims`]: tags({ owner: 'priya.nair@example.com', team: 'feature-platform' }),
      [`${ARN}:feature-group/claims-v2`]: tags({ owner: 'U04CLAIMS2', team: 'claims-data' }),
      [`${ARN}:feature-group/claims-enriched`]: tags({ owner: 'U04CLAIMS2', team: 'claims-data' }),
    },
  };
}

/** The embedded demo snapshot, validated like any snapshot file. */
export function demoSnapshot(): Snapshot {
  return parseSnapshot(demoDocument(), 'embedded demo snapshot');
}
