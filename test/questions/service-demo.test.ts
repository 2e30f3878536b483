// Every question of the foundation issue, answered on the embedded demo, with exact values.
import { describe, expect, it } from 'vitest';
import { AmbiguousName, BadInput, EntityNotFound, NoLineageRecorded, WrongKind } from '../../src/lineage/errors.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import { LineageService } from '../../src/lineage/service.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import { DEMO_LIMITS, demoService, featureLines, names } from '../support/demo.js';

const LAKE = 's3://demo-ml-lake';
const RAW_CUSTOMERS = `${LAKE}/raw/customers.csv`;
const RAW_CLAIMS = `${LAKE}/raw/claims.csv`;
const FRAUD_TRAIN = `${LAKE}/datasets/fraud-detector/train/train.csv`;
const FRAUD_TEST = `${LAKE}/datasets/fraud-detector/test/test.csv`;
const CHURN_TRAIN = `${LAKE}/datasets/churn-predictor/train/train.csv`;

describe('demo: feature groups a model or endpoint depends on', () => {
  it('lists both feature groups of fraud-detector with the features its queries use, and how', async () => {
    const answer = await demoService().dependencies('fraud-detector');
    expect(answer.subject).toMatchObject({ kind: 'Model', name: 'fraud-detector' });
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features), names(d.datasets)])).toEqual([
      [
        'claims',
        ['customer_id joinKey', 'claim_amount selected', 'incident_severity selected', 'collision_type selected', 'fraud selected', 'event_time filter'],
        [FRAUD_TEST, FRAUD_TRAIN],
      ],
      ['customers', ['customer_id joinKey', 'age selected', 'tenure_months selected', 'num_claims_12m selected'], [FRAUD_TEST, FRAUD_TRAIN]],
    ]);
    expect(names(answer.trainingJobs)).toEqual(['fraud-detector-training-20251102']);
    expect(answer.truncation).toBeUndefined();
  });

  it('answers for an endpoint through the model it serves', async () => {
    const answer = await demoService().dependencies('churn-predictor-prod', 'Endpoint');
    expect(answer.subject).toMatchObject({ kind: 'Endpoint', name: 'churn-predictor-prod' });
    expect(names(answer.models)).toEqual(['churn-predictor']);
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features)])).toEqual([
      ['customers', ['age selected', 'tenure_months selected', 'region selected', 'num_policies selected', 'churned selected']],
    ]);
  });

  it('finds claims-v2 through the feature-processor context for claims-triage, its validation query under the earlier table too', async () => {
    const answer = await demoService().dependencies('claims-triage');
    expect(answer.featureGroups.map((d) => [d.featureGroup.name, featureLines(d.features), names(d.datasets)])).toEqual([
      [
        'claims-v2',
        [
          'claim_id partition',
          'claim_amount selected',
          'incident_severity selected',
          'police_report_available selected',
          'triage_label selected',
          'event_time ordering',
        ],
        [`${LAKE}/datasets/claims-triage/train/train.csv`, `${LAKE}/datasets/claims-triage/validation/validation.csv`],
      ],
    ]);
  });
});

describe('demo: consumers of a feature group', () => {
  it('customers feeds both models and both endpoints', async () => {
    const answer = await demoService().consumers('customers');
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints)])).toEqual([
      ['churn-predictor', ['churn-predictor-prod']],
      ['fraud-detector', ['fraud-detector-prod']],
    ]);
    expect(names(answer.endpoints)).toEqual(['churn-predictor-prod', 'fraud-detector-prod']);
    expect(answer.datasetCount).toBe(3);
  });

  it('claims-v2 feeds a model with no endpoint', async () => {
    const answer = await demoService().consumers('claims-v2');
    expect(answer.models.map((m) => [m.model.name, names(m.endpoints)])).toEqual([['claims-triage', []]]);
    expect(answer.endpoints).toEqual([]);
  });

  it('accepts the feature group ARN and the lineage ARN', async () => {
    const byArn = await demoService().consumers('arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims');
    // claims-severity reads claims through claims-enriched, which the enrich-claims pipeline builds from it.
    expect(byArn.models.map((m) => [m.model.name, names(m.through ?? [])])).toEqual([
      ['claims-severity', ['claims-enriched']],
      ['fraud-detector', []],
    ]);
    expect(names(byArn.derivedGroups.map((d) => d.featureGroup))).toEqual(['claims-enriched']);
    const lineageArn = byArn.subject.arn;
    const byLineage = await demoService().consumers(lineageArn);
    expect(byLineage.models).toEqual(byArn.models);
  });
});

describe('demo: what builds a feature group', () => {
  it('gives raw sources, the pipeline and its code — not the datasets the group feeds', async () => {
    const answer = await demoService().upstream('customers');
    expect(names(answer.dataSources)).toEqual([RAW_CLAIMS, RAW_CUSTOMERS]);
    expect(answer.pipelines.map((p) => [p.name, p.kind])).toEqual([['fraud-feature-pipeline-20251101', 'ProcessingJob']]);
    expect(names(answer.code)).toEqual(['https://github.com/example-org/fraud-features/blob/main/pipelines/preprocess.py']);
    expect(answer.featureGroups).toEqual([]);
  });

  it('follows the feature-processor convention for claims-v2', async () => {
    const answer = await demoService().upstream('claims-v2');
    expect(names(answer.dataSources)).toEqual([RAW_CLAIMS]);
    expect(answer.pipelines.map((p) => [p.name, p.kind])).toEqual([['claims-enrichment', 'FeaturePipeline']]);
  });
});

describe('demo: feature groups built from a data source', () => {
  it('claims.csv builds three groups through two pipelines, and a fourth from the group claims', async () => {
    const answer = await demoService().builtFrom(RAW_CLAIMS);
    expect(answer.featureGroups.map((f) => [f.featureGroup.name, names(f.pipelines), names(f.through ?? [])])).toEqual([
      ['claims', ['fraud-feature-pipeline-20251101'], []],
      ['claims-v2', ['claims-enrichment'], []],
      ['customers', ['fraud-feature-pipeline-20251101'], []],
      ['claims-enriched', ['enrich-claims'], ['claims']],
    ]);
  });

  it('resolves a file name to its data source', async () => {
    const answer = await demoService().builtFrom('customers.csv');
    expect(answer.subject.name).toBe(RAW_CUSTOMERS);
    expect(answer.featureGroups.map((f) => f.featureGroup.name)).toEqual(['claims', 'customers', 'claims-enriched']);
  });

  it('an unused data source builds nothing', async () => {
    const answer = await demoService().builtFrom(`${LAKE}/raw/policies.csv`);
    expect(answer.featureGroups).toEqual([]);
  });
});

describe('demo: the whole trail of a model', () => {
  it('runs from both raw files to the endpoint, in flow order', async () => {
    const answer = await demoService().trail('fraud-detector');
    expect(answer.stages.map((s) => [s.kind, names(s.entities)])).toEqual([
      ['DataSource', [RAW_CLAIMS, RAW_CUSTOMERS]],
      ['Code', ['https://github.com/example-org/fraud-features/blob/main/pipelines/preprocess.py']],
      ['ProcessingJob', ['fraud-feature-pipeline-20251101']],
      ['FeatureGroup', ['claims', 'customers']],
      ['Dataset', [FRAUD_TEST, FRAUD_TRAIN]],
      ['TrainingJob', ['fraud-detector-training-20251102']],
      ['Model', ['fraud-detector']],
      ['Endpoint', ['fraud-detector-prod']],
      ['Other', ['fraud-detector-prod-1762819200-deployment', 'sagemaker-xgboost']],
    ]);
    const datasets = answer.stages.find((s) => s.kind === 'Dataset')?.entities ?? [];
    expect(datasets[1]?.detail).toContain('JOIN "sagemaker_featurestore"."customers_1761958800" c');
    const groups = answer.stages.find((s) => s.kind === 'FeatureGroup')?.entities ?? [];
    expect(groups.map((g) => featureLines(g.features))).toEqual([
      ['customer_id joinKey', 'claim_amount selected', 'incident_severity selected', 'collision_type selected', 'fraud selected', 'event_time filter'],
      ['customer_id joinKey', 'age selected', 'tenure_months selected', 'num_claims_12m selected'],
    ]);
  });

  it('from an endpoint, covers the model behind it', async () => {
    const answer = await demoService().trail('churn-predictor-prod', 'Endpoint');
    expect(answer.stages.find((s) => s.kind === 'Model')?.entities.map((e) => e.name)).toEqual(['churn-predictor']);
    expect(answer.stages.find((s) => s.kind === 'FeatureGroup')?.entities.map((e) => e.name)).toEqual(['customers']);
  });
});

describe('demo: which models use a feature, and how', () => {
  it('customers.age is selected by both models', async () => {
    const answer = await demoService().featureUsage('customers.age');
    expect(answer.feature).toEqual({ name: 'age', type: 'Integral' });
    expect(answer.matchable).toBe(true);
    expect(answer.models.map((m) => [m.model.name, names(m.datasets), m.uses])).toEqual([
      ['churn-predictor', [CHURN_TRAIN], ['selected']],
      ['fraud-detector', [FRAUD_TEST, FRAUD_TRAIN], ['selected']],
    ]);
    expect(answer.unknownModels).toEqual([]);
  });

  it('customers.region only by churn-predictor, claims.fraud only by fraud-detector', async () => {
    expect(names((await demoService().featureUsage('customers.region')).models.map((m) => m.model))).toEqual(['churn-predictor']);
    expect(names((await demoService().featureUsage('claims.fraud')).models.map((m) => m.model))).toEqual(['fraud-detector']);
  });

  // BUG: only selected columns counted, so the join key and the filtered column were "unused".
  it('the join key and the column filtered on are used by fraud-detector', async () => {
    const key = await demoService().featureUsage('customers.customer_id');
    expect(key.models.map((m) => [m.model.name, m.uses])).toEqual([['fraud-detector', ['joinKey']]]);
    const time = await demoService().featureUsage('claims.event_time');
    expect(time.models.map((m) => [m.model.name, m.uses, names(m.datasets)])).toEqual([['fraud-detector', ['filter'], [FRAUD_TEST, FRAUD_TRAIN]]]);
  });

  it('a feature no query uses has no models, and nothing unknown', async () => {
    const answer = await demoService().featureUsage('customers.event_time');
    expect([answer.models, answer.unknownModels]).toEqual([[], []]);
  });

  it('claims-v2.event_time: ordering in the validation query, which names the table from before claims-v2 was re-created', async () => {
    const answer = await demoService().featureUsage('claims-v2.event_time');
    expect(answer.models.map((m) => [m.model.name, m.uses, names(m.datasets)])).toEqual([
      ['claims-triage', ['ordering'], [`${LAKE}/datasets/claims-triage/validation/validation.csv`]],
    ]);
  });

  it('an unknown feature suggests the group’s features', async () => {
    const error = await demoService().featureUsage('customers.agee').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntityNotFound);
    expect((error as EntityNotFound).suggestions).toEqual(['customers.age']);
  });

  it('rejects text that is not <group>.<feature>', async () => {
    await expect(demoService().featureUsage('customers')).rejects.toBeInstanceOf(BadInput);
    await expect(demoService().featureUsage('.age')).rejects.toBeInstanceOf(BadInput);
  });
});

describe('demo: search by partial name', () => {
  it('finds feature groups, models and data sources', async () => {
    const answer = await demoService().search('claims');
    expect(answer.hits.map((h) => [h.kind, h.name])).toEqual([
      ['FeatureGroup', 'claims'],
      ['FeatureGroup', 'claims-enriched'],
      ['FeatureGroup', 'claims-v2'],
      ['Model', 'claims-severity'],
      ['Model', 'claims-triage'],
      ['Endpoint', 'claims-severity-prod'],
      ['DataSource', RAW_CLAIMS],
    ]);
    expect(answer.more).toBe(false);
  });

  it('is case-insensitive and finds endpoints', async () => {
    const answer = await demoService().search('PROD');
    expect(answer.hits.map((h) => h.name)).toEqual(['churn-predictor-prod', 'claims-severity-prod', 'fraud-detector-prod']);
  });

  it('rejects a one-letter search', async () => {
    await expect(demoService().search('a')).rejects.toBeInstanceOf(BadInput);
  });
});

describe('demo: bad input', () => {
  it('an unknown model suggests close names', async () => {
    const error = await demoService().trail('fraud-detectr', 'Model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntityNotFound);
    expect((error as EntityNotFound).suggestions).toEqual(['fraud-detector']);
  });

  it('a feature group asked as a model is the wrong kind', async () => {
    const error = await demoService().dependencies('customers', 'Model').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WrongKind', input: 'customers', actualKind: 'feature group', expected: ['model'] });
    // The message reaches logs and the CLI as it is.
    expect((error as Error).message).toBe('"customers" is a feature group, not a model');
    const endpoint = await demoService().dependencies('fraud-detector-prod', 'Model').catch((e: unknown) => e);
    expect((endpoint as Error).message).toBe('"fraud-detector-prod" is an endpoint, not a model');
  });

  it('a near name of another kind is suggested under its kind', async () => {
    const error = await demoService().dependencies('customer', 'Model').catch((e: unknown) => e);
    expect((error as EntityNotFound).suggestions[0]).toBe('customers (feature group)');
  });

  it('a typo finds the name by its first letters', async () => {
    const error = await demoService().consumers('custmers').catch((e: unknown) => e);
    expect((error as EntityNotFound).suggestions).toEqual(['customers']);
  });

  it('a feature group without lineage says so', async () => {
    await expect(demoService().consumers('policies')).rejects.toBeInstanceOf(NoLineageRecorded);
  });

  it('a model ARN asked as a feature group is the wrong kind', async () => {
    await expect(demoService().consumers('arn:aws:sagemaker:us-east-1:111122223333:model/fraud-detector')).rejects.toBeInstanceOf(WrongKind);
  });

  it('a malformed ARN and a malformed S3 URI are bad input', async () => {
    await expect(demoService().consumers('arn:aws:sagemaker:nowhere')).rejects.toBeInstanceOf(BadInput);
    await expect(demoService().builtFrom('s3://')).rejects.toBeInstanceOf(BadInput);
  });

  it('a file name that only datasets end with is not a data source', async () => {
    await expect(demoService().builtFrom('train.csv')).rejects.toBeInstanceOf(EntityNotFound);
  });

  it('a file name matching several data sources is ambiguous', async () => {
    const snapshot = demoSnapshot();
    snapshot.Artifacts.push({
      ArtifactArn: 'arn:aws:sagemaker:us-east-1:111122223333:artifact/0123456789abcdef0123456789abcdef',
      ArtifactType: 'DataSet',
      Source: { SourceUri: 's3://other-lake/raw/claims.csv' },
      Properties: {},
    });
    const service = new LineageService(new SnapshotSource(snapshot, 'test'), DEMO_LIMITS);
    const error = await service.builtFrom('claims.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousName);
    expect((error as AmbiguousName).candidates.map((c) => c.name).sort()).toEqual([RAW_CLAIMS, 's3://other-lake/raw/claims.csv']);
  });
});
