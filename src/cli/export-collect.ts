// What `lineage-bot export` gathers from SageMaker: lineage entities (from starts, or all of
// them), and the resources they stand for, as SageMaker responses ready for a snapshot file.
import { classifyEntity } from '../lineage/classify.js';
import { BadInput } from '../lineage/errors.js';
import { mapPool } from '../lineage/pool.js';
import { isLineageArn, nameFromArn, parseArn, parseReference } from '../lineage/reference.js';
import type { LineageType } from '../lineage/lineage-source.js';
import type { SageMakerSource } from '../lineage/sources/sagemaker.js';
import {
  lineageResponseToEntity,
  type EndpointConfigResponse,
  type EndpointResponse,
  type FeatureGroupResponse,
  type LineageEntityResponse,
  type ModelResponse,
  type ProcessingJobResponse,
  type TagResponse,
  type TrainingJobResponse,
} from '../lineage/sources/sagemaker-responses.js';

/** Describe calls queued at once; the source itself caps how many reach SageMaker together. */
const QUEUE = 32;

/** Resource describes, each made at most once per export (resolving starts and collecting share them). */
export class ResourceResponses {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly source: SageMakerSource) {}

  featureGroup = (nameOrArn: string) => this.once('feature-group', nameOrArn, (n) => this.source.describeFeatureGroupResponse(n));
  model = (nameOrArn: string) => this.once('model', nameOrArn, (n) => this.source.describeModelResponse(n));
  endpoint = (nameOrArn: string) => this.once('endpoint', nameOrArn, (n) => this.source.describeEndpointResponse(n));
  endpointConfig = (name: string) => this.once('endpoint-config', name, (n) => this.source.describeEndpointConfigResponse(n));
  trainingJob = (name: string) => this.once('training-job', name, (n) => this.source.describeTrainingJobResponse(n));
  processingJob = (name: string) => this.once('processing-job', name, (n) => this.source.describeProcessingJobResponse(n));

  private once<T>(kind: string, nameOrArn: string, describe: (name: string) => Promise<T>): Promise<T> {
    const name = nameFromArn(nameOrArn) ?? nameOrArn;
    const key = `${kind}/${name}`;
    let pending = this.cache.get(key) as Promise<T> | undefined;
    if (!pending) this.cache.set(key, (pending = describe(name)));
    return pending;
  }
}

/** What one START stands for: its lineage entities, and the resource names found on the way. */
export interface ResolvedStart {
  input: string;
  lineageArns: string[];
  /** Feature group, model and endpoint names the START named (exported even when they have no lineage). */
  resources: { featureGroups: string[]; models: string[]; endpoints: string[] };
}

/**
 * Resolves a START the way the bot does: a lineage ARN as is; a feature group to its fg- artifacts
 * and FeatureGroupPipeline contexts; a model through its ModelDataUrl to Model artifacts; an
 * endpoint to its Endpoint context; an S3 URI to the artifacts recorded for it. A plain name may be
 * any of the three resources, so all three are looked up.
 */
export async function resolveStart(source: SageMakerSource, resources: ResourceResponses, input: string): Promise<ResolvedStart> {
  const resolved: ResolvedStart = { input, lineageArns: [], resources: { featureGroups: [], models: [], endpoints: [] } };
  const arnsOf = async (lineageType: LineageType, filter: { type?: string; sourceUri?: string }) =>
    (await source.listLineageSummaries(lineageType, filter)).map((s) => s.arn);

  const fromFeatureGroup = async (nameOrArn: string) => {
    const group = await resources.featureGroup(nameOrArn);
    if (!group) return;
    resolved.resources.featureGroups.push(group.FeatureGroupName);
    const arn = group.FeatureGroupArn;
    resolved.lineageArns.push(
      ...(await arnsOf('Artifact', { sourceUri: arn })),
      ...(await arnsOf('Context', { type: 'FeatureGroupPipeline', sourceUri: arn })),
    );
  };
  const fromModel = async (nameOrArn: string) => {
    const model = await resources.model(nameOrArn);
    if (!model) return;
    resolved.resources.models.push(model.ModelName);
    const urls = new Set([model.PrimaryContainer?.ModelDataUrl, ...(model.Containers ?? []).map((c) => c.ModelDataUrl)]);
    for (const url of urls) if (url) resolved.lineageArns.push(...(await arnsOf('Artifact', { type: 'Model', sourceUri: url })));
  };
  const fromEndpoint = async (nameOrArn: string) => {
    const endpoint = await resources.endpoint(nameOrArn);
    if (!endpoint) return;
    resolved.resources.endpoints.push(endpoint.EndpointName);
    resolved.lineageArns.push(...(await arnsOf('Context', { type: 'Endpoint', sourceUri: endpoint.EndpointArn })));
  };

  const reference = parseReference(input);
  if (reference.form === 's3') {
    resolved.lineageArns.push(...(await arnsOf('Artifact', { sourceUri: reference.uri })));
  } else if (reference.form === 'name') {
    await Promise.all([fromFeatureGroup(reference.name), fromModel(reference.name), fromEndpoint(reference.name)]);
  } else if (reference.form === 'console') {
    const byKind = { FeatureGroup: fromFeatureGroup, Model: fromModel, Endpoint: fromEndpoint };
    await byKind[reference.link.kind](reference.link.name);
  } else if (isLineageArn(reference.parsed)) {
    resolved.lineageArns.push(reference.parsed.arn);
  } else {
    const byType: Record<string, (arn: string) => Promise<void>> = {
      'feature-group': fromFeatureGroup,
      model: fromModel,
      endpoint: fromEndpoint,
    };
    const resolve = byType[reference.parsed.resourceType];
    if (!resolve) {
      throw new BadInput(
        `"${input}" is a ${reference.parsed.resourceType} ARN; ` +
          'export starts from lineage entities, feature groups, models, endpoints or S3 URIs.',
      );
    }
    await resolve(reference.parsed.arn);
  }
  resolved.lineageArns = [...new Set(resolved.lineageArns)];
  return resolved;
}

/** Describes every lineage ARN; entities deleted since they were listed are left out. */
export async function describeLineage(source: SageMakerSource, arns: Iterable<string>): Promise<LineageEntityResponse[]> {
  const described = await mapPool([...new Set(arns)], QUEUE, (arn) => source.describeLineageResponse(arn));
  return described.filter((response): response is LineageEntityResponse => response !== undefined);
}

/** Every artifact, context, action and trial component ARN in the account and region. */
export async function listAllLineageArns(source: SageMakerSource): Promise<string[]> {
  const types: LineageType[] = ['Artifact', 'Context', 'Action', 'TrialComponent'];
  const lists = await Promise.all(types.map((type) => source.listLineageSummaries(type)));
  return lists.flat().map((summary) => summary.arn);
}

export interface ExportedResources {
  featureGroups: FeatureGroupResponse[];
  models: ModelResponse[];
  endpoints: EndpointResponse[];
  endpointConfigs: EndpointConfigResponse[];
  trainingJobs: TrainingJobResponse[];
  processingJobs: ProcessingJobResponse[];
  /** ListTags of every resource above that has tags, by ARN. */
  tags: Record<string, TagResponse[]>;
}

/**
 * The resources the entities stand for — feature groups from fg- artifacts and FeatureGroupPipeline
 * contexts, models from Model artifacts' SageMakerModelName, endpoints (their configs, and the
 * models those serve) from Endpoint contexts, jobs from trial components — plus `named` ones, and
 * the tags of all of them.
 */
export async function collectResources(
  source: SageMakerSource,
  resources: ResourceResponses,
  lineage: readonly LineageEntityResponse[],
  named: ResolvedStart['resources'] = { featureGroups: [], models: [], endpoints: [] },
): Promise<ExportedResources> {
  const names = {
    'feature-group': new Set(named.featureGroups),
    model: new Set(named.models),
    endpoint: new Set(named.endpoints),
    'training-job': new Set<string>(),
    'processing-job': new Set<string>(),
  };
  for (const response of lineage) {
    const entity = lineageResponseToEntity(response);
    const stands = entity.sourceUri ? parseArn(entity.sourceUri) : undefined;
    if (stands && stands.resourceType in names) names[stands.resourceType as keyof typeof names].add(stands.resourceName);
    const modelName = entity.properties['SageMakerModelName'];
    if (modelName && classifyEntity(entity).kind === 'Model') names.model.add(modelName);
  }

  const featureGroups = await describeAll(names['feature-group'], resources.featureGroup);
  const endpoints = await describeAll(names.endpoint, resources.endpoint);
  const endpointConfigs = await describeAll(
    endpoints.flatMap((e) => (e.EndpointConfigName ? [e.EndpointConfigName] : [])),
    resources.endpointConfig,
  );
  // The models an endpoint serves answer "what does endpoint Y depend on" even without a Model artifact.
  for (const variant of endpointConfigs.flatMap((config) => config.ProductionVariants)) {
    if (variant.ModelName) names.model.add(variant.ModelName);
  }
  const models = await describeAll(names.model, resources.model);
  const trainingJobs = await describeAll(names['training-job'], resources.trainingJob);
  const processingJobs = await describeAll(names['processing-job'], resources.processingJob);

  const resourceArns = [
    ...featureGroups.map((f) => f.FeatureGroupArn),
    ...models.map((m) => m.ModelArn),
    ...endpoints.map((e) => e.EndpointArn),
    ...endpointConfigs.map((c) => c.EndpointConfigArn),
    ...trainingJobs.map((t) => t.TrainingJobArn),
    ...processingJobs.map((p) => p.ProcessingJobArn),
  ];
  const tagLists = await mapPool(resourceArns, QUEUE, (arn) => source.listTagResponses(arn));
  const tags = Object.fromEntries(resourceArns.flatMap((arn, i) => (tagLists[i]?.length ? [[arn, tagLists[i]]] : [])));
  return { featureGroups, models, endpoints, endpointConfigs, trainingJobs, processingJobs, tags };
}

/** Describes each name once; names that no longer exist are left out. */
async function describeAll<T>(names: Iterable<string>, describe: (name: string) => Promise<T | undefined>): Promise<T[]> {
  const described = await mapPool([...new Set(names)], QUEUE, describe);
  return described.filter((response): response is T & {} => response !== undefined);
}
