// A synthetic SageMaker account recorded the way the ml-lineage-helper library records lineage,
// plus what SageMaker records by itself for training jobs and endpoints:
//
//   ProcessingInputData (s3) ─┐
//   ProcessingCode (Code) ────┴─ ProcessingJob ─ fg-<name> ─┬─ TrainingData ─┐
//                                                          └─ TestingData ──┴─ <job>-aws-training-job ─Produced─ Model ─ ModelDeployment ─ Endpoint
//
// Some chains are deliberately deeper than QueryLineage's 10-hop limit: derived feature groups
// built from another feature group through several processing stages, and models whose training
// data comes out of a multi-stage pipeline over a feature-store extract. Half of the derived
// groups start from the other group's fg- artifact; the other half read its offline store, which
// the helper records as a ProcessingInputData artifact for the S3 folder and nothing links to the
// group: only a client that knows where a group's offline store is finds their consumers.
import type { AssociationEdgeType } from '../src/lineage/sources/shapes.js';
import { parseSnapshot, SNAPSHOT_FORMAT_VERSION, type Snapshot, type SnapshotInput } from '../src/lineage/sources/snapshot-file.js';
import { seededRandom, type Random } from './random.js';
import type { z } from 'zod';

export interface SyntheticAccountOptions {
  seed?: number;
  featureGroups?: number;
  models?: number;
  endpoints?: number;
  /** Feature groups built from another feature group through a processing chain. */
  derivedFeatureGroups?: number;
  /** Models whose training data comes out of a processing chain over a feature-store extract. */
  deepModels?: number;
  /** Processing stages in each of those chains; each stage adds two hops. */
  chainStages?: number;
  /**
   * An `owner` tag on every feature group, model and endpoint: HOME_OWNER owns the first
   * HOME_MODELS models and HOME_ENDPOINTS endpoints whatever the account's size, and the rest are
   * shared round-robin among OWNER_POOL people (syntheticOwners()). Uses no randomness, so the
   * lineage is the same with and without.
   */
  ownerTags?: boolean;
  /** A DescribeTrainingJob record per model (its channels' S3 URIs and model artifacts), for `infer`. */
  trainingJobs?: boolean;
}

/** The user who owns the same few resources on every scale (App Home's subject). */
export const HOME_OWNER = 'UHOMEOWNER';
export const HOME_MODELS = 5;
export const HOME_ENDPOINTS = 3;
/** People owning the other resources, round-robin. */
const OWNER_POOL = 250;

/** Slack IDs of everyone the owner tags name: HOME_OWNER first, then the pool. */
export function syntheticOwners(): string[] {
  return [HOME_OWNER, ...Array.from({ length: OWNER_POOL }, (_, k) => poolOwner(k))];
}
const poolOwner = (index: number) => `UOWNER${String(index % OWNER_POOL).padStart(3, '0')}`;

/** The 1× account's sizes. */
export const SCALE_1X = { featureGroups: 200, models: 2_000, endpoints: 1_500, derivedFeatureGroups: 12, deepModels: 40 } as const;
/** Ten times the 1× account in every count, with chains as deep (more than 10 hops). */
export const SCALE_10X = { featureGroups: 2_000, models: 20_000, endpoints: 15_000, derivedFeatureGroups: 120, deepModels: 400 } as const;

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const ARN = `arn:aws:sagemaker:${REGION}:${ACCOUNT}`;
const FEATURE_DATABASE = 'sagemaker_featurestore';
const EPOCH = 1_760_000_000; // fixed, so snapshots are identical between runs
const DOMAINS = ['customers', 'payments', 'orders', 'sessions', 'devices', 'merchants', 'claims', 'inventory', 'clicks', 'loans'];

type Input<K extends keyof SnapshotInput> = NonNullable<SnapshotInput[K]> extends readonly (infer Item)[] ? Item : never;
type EdgeType = z.infer<typeof AssociationEdgeType>;

interface FeatureGroupPlan {
  name: string;
  artifactArn: string;
  table: string;
  features: string[];
  /** DescribeFeatureGroup's ResolvedOutputS3Uri. */
  offlineStore: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Builds the account; `parseSnapshot` validates it exactly like a snapshot file. */
export function syntheticAccount(options: SyntheticAccountOptions = {}): Snapshot {
  const o = {
    seed: 20_261_127,
    ...SCALE_1X,
    chainStages: 5,
    ownerTags: false,
    trainingJobs: false,
    ...options,
  };
  const builder = new AccountBuilder(seededRandom(o.seed));
  const groups = builder.featureGroups(o.featureGroups, o.derivedFeatureGroups, o.chainStages);
  const models = builder.models(o.models, groups, o.deepModels, o.chainStages, o.trainingJobs);
  builder.endpoints(o.endpoints, models);
  if (o.ownerTags) builder.ownerTags();
  return parseSnapshot(builder.document(), 'synthetic account');
}

class AccountBuilder {
  private readonly artifacts: Input<'Artifacts'>[] = [];
  private readonly contexts: Input<'Contexts'>[] = [];
  private readonly actions: Input<'Actions'>[] = [];
  private readonly trialComponents: Input<'TrialComponents'>[] = [];
  private readonly associations: Input<'Associations'>[] = [];
  private readonly featureGroupShapes: Input<'FeatureGroups'>[] = [];
  private readonly modelShapes: Input<'Models'>[] = [];
  private readonly endpointShapes: Input<'Endpoints'>[] = [];
  private readonly endpointConfigShapes: Input<'EndpointConfigs'>[] = [];
  private readonly trainingJobShapes: Input<'TrainingJobs'>[] = [];
  private readonly tags: Record<string, { Key: string; Value: string }[]> = {};
  /** ListAssociations reports each end's type; the helper library decides by it. */
  private readonly typeOf = new Map<string, string>();
  private clock = EPOCH;

  constructor(private readonly random: Random) {}

  document(): SnapshotInput {
    return {
      FormatVersion: SNAPSHOT_FORMAT_VERSION,
      Description: 'Synthetic account for the lineage benchmark',
      Artifacts: this.artifacts,
      Contexts: this.contexts,
      Actions: this.actions,
      TrialComponents: this.trialComponents,
      Associations: this.associations,
      FeatureGroups: this.featureGroupShapes,
      Models: this.modelShapes,
      Endpoints: this.endpointShapes,
      EndpointConfigs: this.endpointConfigShapes,
      TrainingJobs: this.trainingJobShapes,
      Tags: this.tags,
    };
  }

  featureGroups(count: number, derived: number, stages: number): FeatureGroupPlan[] {
    const plans: FeatureGroupPlan[] = [];
    for (let i = 0; i < count; i++) {
      const domain = DOMAINS[i % DOMAINS.length] as string;
      const isDerived = i >= count - derived;
      const name = `${domain}-${isDerived ? 'derived' : 'features'}-${pad(i, 3)}`;
      const created = this.tick();
      const table = `${name.replace(/-/g, '_')}_${created}`;
      const offlineStore = `s3://bench-offline-store/${ACCOUNT}/sagemaker/${REGION}/offline-store/${name}-${created}/data`;
      const features = Array.from({ length: this.random.int(4, 10) }, (_, k) => `${domain}_f${k}`);
      this.featureGroupShapes.push({
        FeatureGroupArn: `${ARN}:feature-group/${name}`,
        FeatureGroupName: name,
        RecordIdentifierFeatureName: `${domain}_id`,
        EventTimeFeatureName: 'event_time',
        FeatureDefinitions: [
          { FeatureName: `${domain}_id`, FeatureType: 'String' },
          { FeatureName: 'event_time', FeatureType: 'Fractional' },
          ...features.map((f) => ({ FeatureName: f, FeatureType: this.random.pick(['Integral', 'Fractional', 'String'] as const) })),
        ],
        FeatureGroupStatus: 'Created',
        OfflineStoreConfig: {
          S3StorageConfig: { S3Uri: 's3://bench-offline-store', ResolvedOutputS3Uri: offlineStore },
          DataCatalogConfig: { TableName: table, Catalog: 'AwsDataCatalog', Database: FEATURE_DATABASE },
        },
        CreationTime: created,
      });
      const artifactArn = this.artifact(`fg-${name}`, 'FeatureGroup', `${ARN}:feature-group/${name}`);
      if (isDerived) {
        // Built from an earlier, ordinary feature group through a multi-stage pipeline, which
        // starts at the group's fg- artifact or reads the group's offline store.
        const parent = this.random.pick(plans.slice(0, count - derived)) as FeatureGroupPlan;
        const readsOfflineStore = (i - (count - derived)) % 2 === 1;
        const from = readsOfflineStore ? this.artifact('ProcessingInputData', 'DataSet', parent.offlineStore) : parent.artifactArn;
        const last = this.processingChain(from, stages, `${name}-from-${parent.name}`);
        this.edge(last, artifactArn);
      } else {
        this.ingestion(name, domain, artifactArn);
      }
      plans.push({ name, artifactArn, table, features, offlineStore });
    }
    return plans;
  }

  /** See SyntheticAccountOptions.ownerTags. */
  ownerTags(): void {
    const tag = (arn: string, owner: string) => (this.tags[arn] = [{ Key: 'owner', Value: owner }]);
    this.featureGroupShapes.forEach((group, i) => tag(group.FeatureGroupArn, poolOwner(i)));
    this.modelShapes.forEach((model, i) => tag(model.ModelArn, i < HOME_MODELS ? HOME_OWNER : poolOwner(i)));
    this.endpointShapes.forEach((endpoint, i) => tag(endpoint.EndpointArn, i < HOME_ENDPOINTS ? HOME_OWNER : poolOwner(i)));
  }

  models(count: number, groups: readonly FeatureGroupPlan[], deep: number, stages: number, trainingJobs = false): string[] {
    // Popular feature groups are used by many models, most by a few (a Zipf-like skew).
    const weights = groups.map((_, rank) => 1 / (rank + 1) ** 0.8);
    const order = this.random.sample(groups, groups.length);
    const names: string[] = [];
    // Spread the deep models evenly over the account.
    const deepEvery = Math.max(1, Math.floor(count / Math.max(1, deep)));
    for (let j = 0; j < count; j++) {
      const chosen = new Set<FeatureGroupPlan>();
      const wanted = this.random.int(1, 3);
      while (chosen.size < wanted) chosen.add(order[this.weightedIndex(weights)] as FeatureGroupPlan);
      const used = [...chosen];
      const domain = (used[0] as FeatureGroupPlan).name.split('-')[0] as string;
      const job = `${domain}-train-${pad(j, 4)}`;
      const modelName = `${domain}-model-${pad(j, 4)}`;
      const query = featureQuery(used, this.random);
      const created = this.tick();
      const trialComponent = `${ARN}:experiment-trial-component/${job}-aws-training-job`;
      this.trialComponents.push({
        TrialComponentArn: trialComponent,
        TrialComponentName: `${job}-aws-training-job`,
        DisplayName: job,
        Source: { SourceArn: `${ARN}:training-job/${job}`, SourceType: 'SageMakerTrainingJob' },
        CreationTime: created,
      });
      this.typeOf.set(trialComponent, 'SageMakerTrainingJob');
      /** The training job's input channels (its DescribeTrainingJob InputDataConfig). */
      const channels: { name: string; uri: string }[] = [];

      if (deep > 0 && j % deepEvery === 0 && j / deepEvery < deep) {
        // A feature-store extract refined by a multi-stage pipeline into the training data.
        const extract = this.artifact(`${job}-extract`, 'DataSet', `s3://bench-training/${job}/extract/`, {
          Base64FeatureStoreQueryString: base64(query),
        });
        for (const group of used) this.edge(group.artifactArn, extract);
        const last = this.processingChain(extract, stages, `${job}-prep`);
        const train = this.artifact('TrainingData', 'DataSet', `s3://bench-training/${job}/train/`);
        channels.push({ name: 'train', uri: `s3://bench-training/${job}/train/` });
        this.edge(last, train, 'Produced');
        this.edge(train, trialComponent);
      } else {
        for (const split of ['TrainingData', 'TestingData'] as const) {
          const uri = `s3://bench-training/${job}/${split === 'TrainingData' ? 'train' : 'test'}/`;
          const dataset = this.artifact(split, 'DataSet', uri, { Base64FeatureStoreQueryString: base64(query) });
          channels.push({ name: split === 'TrainingData' ? 'train' : 'test', uri });
          for (const group of used) this.edge(group.artifactArn, dataset);
          this.edge(dataset, trialComponent);
        }
      }
      if (this.random.next() < 0.5) {
        const code = this.artifact('TrainingCode', 'Code', `s3://bench-code/${job}/sourcedir.tar.gz`, {
          GitURL: `https://git.example.com/ml/${domain}/commit/${this.random.hex(12)}`,
        });
        this.edge(code, trialComponent);
      }
      const modelData = `s3://bench-models/${job}/output/model.tar.gz`;
      if (trainingJobs) {
        this.trainingJobShapes.push({
          TrainingJobName: job,
          TrainingJobArn: `${ARN}:training-job/${job}`,
          TrainingJobStatus: 'Completed',
          InputDataConfig: channels.map(({ name, uri }) => ({ ChannelName: name, DataSource: { S3DataSource: { S3Uri: uri } } })),
          ModelArtifacts: { S3ModelArtifacts: modelData },
          CreationTime: created,
        });
      }
      const model = this.artifact('Model', 'Model', modelData, { SageMakerModelName: modelName });
      this.edge(trialComponent, model, 'Produced');
      this.modelShapes.push({
        ModelName: modelName,
        ModelArn: `${ARN}:model/${modelName}`,
        PrimaryContainer: { Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', ModelDataUrl: modelData },
        CreationTime: this.tick(),
      });
      names.push(modelName);
    }
    return names;
  }

  /** Most deployed models have one endpoint; the rest of the endpoints go to models that have two. */
  endpoints(count: number, models: readonly string[]): void {
    const served = this.random.sample(models, Math.min(models.length, Math.round(count * 0.8)));
    const second = this.random.sample(served, count - served.length);
    const byModel = new Map(this.modelShapes.map((m) => [m.ModelName, m]));
    const artifactByModel = new Map(
      this.artifacts.filter((a) => a.ArtifactType === 'Model').map((a) => [a.Properties?.['SageMakerModelName'], a.ArtifactArn]),
    );
    const deployments = [...served.map((m) => [m, `${m}-prod`]), ...second.map((m) => [m, `${m}-staging`])] as [string, string][];
    for (const [modelName, endpointName] of deployments) {
      const created = this.tick();
      const endpointArn = `${ARN}:endpoint/${endpointName}`;
      const configName = `${endpointName}-config`;
      const context = `${ARN}:context/${endpointName}-${created}`;
      const action = `${ARN}:action/${endpointName}-deployment-${this.random.hex(8)}`;
      this.contexts.push({
        ContextArn: context,
        ContextName: `${endpointName}-${created}`,
        ContextType: 'Endpoint',
        Source: { SourceUri: endpointArn, SourceType: 'ARN' },
        CreationTime: created,
      });
      this.actions.push({
        ActionArn: action,
        ActionName: `${endpointName}-deployment`,
        ActionType: 'ModelDeployment',
        Status: 'Completed',
        Source: { SourceUri: `${ARN}:endpoint-config/${configName}`, SourceType: 'ARN' },
        CreationTime: created,
      });
      this.typeOf.set(context, 'Endpoint');
      this.typeOf.set(action, 'ModelDeployment');
      // SageMaker's own convention: model ContributedTo deployment, deployment AssociatedWith endpoint.
      this.edge(artifactByModel.get(modelName) as string, action);
      this.edge(action, context, 'AssociatedWith');
      this.endpointShapes.push({
        EndpointName: endpointName,
        EndpointArn: endpointArn,
        EndpointConfigName: configName,
        EndpointStatus: 'InService',
        CreationTime: created,
        LastModifiedTime: created,
      });
      this.endpointConfigShapes.push({
        EndpointConfigName: configName,
        EndpointConfigArn: `${ARN}:endpoint-config/${configName}`,
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: byModel.get(modelName)?.ModelName }],
      });
    }
  }

  /** Raw data and code into a processing job that writes the feature group, as the helper records it. */
  private ingestion(name: string, domain: string, featureGroupArtifact: string): void {
    const job = this.artifact('ProcessingJob', 'ProcessingJob', `${ARN}:processing-job/${name}-ingest`);
    for (let k = 0; k < this.random.int(1, 2); k++) {
      const raw = this.artifact('ProcessingInputData', 'DataSet', `s3://bench-raw/${domain}/${name}/part-${k}.parquet`);
      this.edge(raw, job);
    }
    const code = this.artifact('ProcessingCode', 'Code', `s3://bench-code/${name}/preprocess.py`, {
      GitURL: `https://git.example.com/features/${domain}/commit/${this.random.hex(12)}`,
    });
    this.edge(code, job);
    this.edge(job, featureGroupArtifact);
  }

  /** from → ProcessingJob → DataSet → … → ProcessingJob (`stages` jobs); returns the last job. */
  private processingChain(from: string, stages: number, label: string): string {
    let previous = from;
    let job = from;
    for (let stage = 1; stage <= stages; stage++) {
      job = this.artifact('ProcessingJob', 'ProcessingJob', `${ARN}:processing-job/${label}-${stage}`);
      this.edge(previous, job);
      if (stage < stages) {
        previous = this.artifact('ProcessingOutputData', 'DataSet', `s3://bench-intermediate/${label}/stage-${stage}/`);
        this.edge(job, previous, 'Produced');
      }
    }
    return job;
  }

  private artifact(name: string, type: string, sourceUri: string, properties: Record<string, string> = {}): string {
    const arn = `${ARN}:artifact/${this.random.hex(32)}`;
    this.artifacts.push({
      ArtifactArn: arn,
      ArtifactName: name,
      ArtifactType: type,
      Source: { SourceUri: sourceUri },
      Properties: properties,
      CreationTime: this.tick(),
    });
    this.typeOf.set(arn, type);
    return arn;
  }

  private edge(source: string, destination: string, type: EdgeType = 'ContributedTo'): void {
    this.associations.push({
      SourceArn: source,
      DestinationArn: destination,
      AssociationType: type,
      ...(this.typeOf.has(source) ? { SourceType: this.typeOf.get(source) } : {}),
      ...(this.typeOf.has(destination) ? { DestinationType: this.typeOf.get(destination) } : {}),
    });
  }

  private weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let left = this.random.next() * total;
    for (let i = 0; i < weights.length; i++) {
      left -= weights[i] as number;
      if (left < 0) return i;
    }
    return weights.length - 1;
  }

  private tick(): number {
    this.clock += 60;
    return this.clock;
  }
}

/** A SELECT over the groups' offline-store tables, joined on the record identifier. */
function featureQuery(groups: readonly FeatureGroupPlan[], random: Random): string {
  const aliases = groups.map((_, i) => `t${i}`);
  const columns = groups.flatMap((group, i) =>
    random.next() < 0.15 ? [`${aliases[i]}.*`] : random.sample(group.features, random.int(1, 3)).map((f) => `${aliases[i]}.${f}`),
  );
  const [first, ...rest] = groups;
  const from = `"${FEATURE_DATABASE}"."${(first as FeatureGroupPlan).table}" t0`;
  const joins = rest.map((group, i) => `JOIN "${FEATURE_DATABASE}"."${group.table}" t${i + 1} ON t0.record_id = t${i + 1}.record_id`);
  return [`SELECT ${columns.join(', ')}`, `FROM ${from}`, ...joins].join('\n');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
