// Inferring the feature group → dataset links nobody recorded. For each training channel, the
// evidence is its S3 location: inside a feature group's offline store, or where a feature-store
// query over a group's offline-store table wrote its results (a query recorded on the channel's
// dataset artifact, or one the caller knows). Proposals carry that evidence; nothing is written
// until they are applied.
import { FEATURE_STORE_QUERY_PROPERTY } from '../lineage/classify.js';
import { EntityNotFound } from '../lineage/errors.js';
import { decodeFeatureQuery, readFeatureQuery } from '../lineage/feature-query.js';
import { s3Within } from '../lineage/offline-store.js';
import { mapPool } from '../lineage/pool.js';
import { nameFromArn, parseArn } from '../lineage/reference.js';
import type { FeatureGroupResource, LineageEntity } from '../lineage/lineage-source.js';
import type { LineageAccount, TrainingJobFacts } from './account.js';
import { ownTrialComponent } from './facts.js';
import {
  channelReadsOfflineStore,
  groupsReadByQuery,
  knownQueryEvidence,
  type KnownQuery,
  type LinkEvidence,
} from './infer-match.js';
import { oneLine } from './text.js';

export type { EvidenceKind, KnownQuery, LinkEvidence } from './infer-match.js';

export interface ProposeRequest {
  /** Training jobs to look at, by name. */
  trainingJobs?: readonly string[];
  /** Models to look at: each stands for the training job that produced it (as recorded by SageMaker). */
  models?: readonly string[];
  /** Feature groups that may have fed them; default every group the channels' locations and queries point at. */
  featureGroups?: readonly string[];
  /** Feature-store queries and their output locations, known from elsewhere (a pipeline's config, Athena's history). */
  queries?: readonly KnownQuery[];
}

export interface LinkProposal {
  trainingJob: string;
  /** The trial component SageMaker recorded for the job. */
  trialComponentArn: string;
  channel: string;
  datasetUri: string;
  /** The channel's DataSet artifact, when one is recorded (SageMaker records one per input). */
  datasetArtifactArn?: string;
  featureGroup: { name: string; arn: string };
  evidence: LinkEvidence[];
}

export interface ProposalSet {
  proposals: LinkProposal[];
  /** Links the evidence supports that are recorded already. */
  alreadyLinked: { trainingJob: string; channel: string; featureGroup: string }[];
  notes: string[];
}

interface Channel {
  job: TrainingJobFacts;
  trialComponentArn: string;
  name: string;
  uri: string;
  datasets: LineageEntity[];
}

export async function proposeLinks(account: LineageAccount, request: ProposeRequest): Promise<ProposalSet> {
  const notes: string[] = [];
  const jobNames = [...(request.trainingJobs ?? []), ...(await trainingJobsOfModels(account, request.models ?? [], notes))];
  // Named groups are described while the channels are read; otherwise the channels say where to look.
  // Both are waited for even when one fails: nothing of this run is still calling SageMaker after it ends.
  const [read, described] = await Promise.allSettled([
    channelsOf(account, [...new Set(jobNames)], notes),
    request.featureGroups ? namedGroups(account, request.featureGroups) : undefined,
  ]);
  if (described.status === 'rejected') throw described.reason;
  if (read.status === 'rejected') throw read.reason;
  const channels = read.value;
  const groups = described.value ?? (await cluedGroups(account, channels, request.queries ?? []));
  const groupEntities = new Map<string, Promise<Set<string>>>();
  const found: { proposal: LinkProposal; datasets: readonly LineageEntity[] }[] = [];
  for (const channel of channels) {
    for (const [arn, evidence] of evidenceFor(channel, groups, request.queries ?? [])) {
      const group = groups.find((g) => g.arn === arn) as FeatureGroupResource;
      const dataset = channel.datasets[0];
      const proposal: LinkProposal = {
        trainingJob: channel.job.name,
        trialComponentArn: channel.trialComponentArn,
        channel: channel.name,
        datasetUri: channel.uri,
        ...(dataset ? { datasetArtifactArn: dataset.arn } : {}),
        featureGroup: { name: group.name, arn: group.arn },
        evidence,
      };
      found.push({ proposal, datasets: channel.datasets });
    }
  }
  const linked = await mapPool(found, account.concurrency, ({ proposal, datasets }) =>
    isLinked(account, groupEntities, proposal.featureGroup.arn, datasets),
  );
  return {
    proposals: found.filter((_, index) => !linked[index]).map((f) => f.proposal),
    alreadyLinked: found
      .filter((_, index) => linked[index])
      .map(({ proposal: p }) => ({ trainingJob: p.trainingJob, channel: p.channel, featureGroup: p.featureGroup.name })),
    notes,
  };
}

/** Evidence per feature group ARN for one channel: its offline store read directly, then recorded and known queries. */
function evidenceFor(channel: Channel, groups: readonly FeatureGroupResource[], queries: readonly KnownQuery[]): Map<string, LinkEvidence[]> {
  const found = new Map<string, LinkEvidence[]>();
  const add = (arn: string, evidence: LinkEvidence) => found.set(arn, [...(found.get(arn) ?? []), evidence]);
  for (const group of groups) {
    const where = channelReadsOfflineStore(channel.uri, group);
    if (where) add(group.arn, { kind: 'offline-store', detail: `channel "${channel.name}" reads ${channel.uri}, ${where}` });
  }
  for (const dataset of channel.datasets) {
    const encoded = dataset.properties[FEATURE_STORE_QUERY_PROPERTY];
    const sql = encoded ? decodeFeatureQuery(encoded) : undefined;
    if (!sql) continue;
    for (const { group, table } of groupsReadByQuery(sql, groups)) {
      add(group.arn, {
        kind: 'recorded-query',
        detail: `the dataset artifact of channel "${channel.name}" (${dataset.arn}) records the query "${oneLine(sql, 60)}", which reads ${table}, the offline-store table of feature group ${group.name}`,
      });
    }
  }
  for (const [arn, evidence] of knownQueryEvidence(channel.name, channel.uri, queries, groups)) evidence.forEach((e) => add(arn, e));
  return found;
}

/**
 * True when a lineage entity of the feature group (an fg- artifact or a feature-processor context)
 * already feeds one of the channel's dataset artifacts. The group's entities are looked up once.
 */
async function isLinked(
  account: LineageAccount,
  groupEntities: Map<string, Promise<Set<string>>>,
  groupArn: string,
  datasets: readonly LineageEntity[],
): Promise<boolean> {
  if (datasets.length === 0) return false;
  let entities = groupEntities.get(groupArn);
  if (!entities) {
    entities = Promise.all([account.artifactsAt(groupArn), account.contextsAt(groupArn)]).then(
      ([artifacts, contexts]) => new Set([...artifacts, ...contexts].map((entity) => entity.arn)),
    );
    groupEntities.set(groupArn, entities);
  }
  const known = await entities;
  if (known.size === 0) return false;
  const incoming = await Promise.all(datasets.map((dataset) => account.associationsInto(dataset.arn)));
  return incoming.flat().some((a) => known.has(a.sourceArn));
}

async function namedGroups(account: LineageAccount, names: readonly string[]): Promise<FeatureGroupResource[]> {
  const groups = await mapPool(names, account.concurrency, (name) => account.describeFeatureGroup(name));
  const missing = names.filter((_, index) => groups[index] === undefined);
  // Named by the caller, a missing group is a mistake.
  if (missing.length > 0) throw new EntityNotFound(missing.join(', '), [], missing.length === 1 ? 'feature group' : 'feature groups');
  return groups.filter((group): group is FeatureGroupResource => group !== undefined);
}

/**
 * The groups the channels' evidence can point at, found by where they keep their offline store
 * rather than by listing the account: the channels' S3 locations, and the tables read by the
 * queries recorded on their datasets or known to write where they read.
 */
async function cluedGroups(account: LineageAccount, channels: readonly Channel[], queries: readonly KnownQuery[]): Promise<FeatureGroupResource[]> {
  if (channels.length === 0) return [];
  const sqls = channels.flatMap((channel) => [
    ...channel.datasets.flatMap((dataset) => {
      const encoded = dataset.properties[FEATURE_STORE_QUERY_PROPERTY];
      const sql = encoded ? decodeFeatureQuery(encoded) : undefined;
      return sql ? [sql] : [];
    }),
    ...queries.filter((q) => s3Within(q.outputS3Uri, channel.uri) || s3Within(channel.uri, q.outputS3Uri)).map((q) => q.sql),
  ]);
  const tables = sqls.flatMap((sql) => {
    const reading = readFeatureQuery(sql);
    return reading.readable ? reading.query.tables.map((table) => table.table) : [];
  });
  const found = await account.findFeatureGroupsByStore({ uris: [...new Set(channels.map((channel) => channel.uri))], tables: [...new Set(tables)] });
  // By name, as a listing gave them: proposals come out in the same order whatever order Search found them in.
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

async function channelsOf(account: LineageAccount, jobNames: readonly string[], notes: string[]): Promise<Channel[]> {
  const perJob = await mapPool(jobNames, account.concurrency, async (name): Promise<Channel[]> => {
    const job = await account.describeTrainingJob(name);
    if (!job) throw new EntityNotFound(name, [], 'training job');
    const component = ownTrialComponent(job, await account.trialComponentsOf(job.arn));
    if (!component) {
      notes.push(`Training job ${job.name} has no trial component, so links to its datasets could not be recorded; it is skipped.`);
      return [];
    }
    const s3 = job.channels.filter((c): c is { channelName: string; s3Uri: string } => c.s3Uri !== undefined);
    return mapPool(s3, account.concurrency, async (c) => ({
      job,
      trialComponentArn: component.arn,
      name: c.channelName,
      uri: c.s3Uri,
      datasets: await account.artifactsAt(c.s3Uri),
    }));
  });
  return perJob.flat();
}

/** The training job behind each model: model data → Model artifact → the trial component that produced it. */
async function trainingJobsOfModels(account: LineageAccount, models: readonly string[], notes: string[]): Promise<string[]> {
  const perModel = await mapPool(models, account.concurrency, async (name) => {
    const model = await account.describeModel(name);
    if (!model) throw new EntityNotFound(name, [], 'SageMaker model');
    const artifacts = (await Promise.all(model.modelDataUrls.map((uri) => account.artifactsAt(uri)))).flat();
    const producers = (await Promise.all(artifacts.map((a) => account.associationsInto(a.arn)))).flat();
    const components = producers.filter((a) => parseArn(a.sourceArn)?.resourceType === 'experiment-trial-component');
    const described = await Promise.all(components.map((a) => account.describeEntity(a.sourceArn)));
    const jobs = described.flatMap((entity) =>
      entity?.sourceUri && parseArn(entity.sourceUri)?.resourceType === 'training-job' ? [nameFromArn(entity.sourceUri) as string] : [],
    );
    if (jobs.length === 0) notes.push(`No training job is recorded as producing model ${model.name}; it is skipped.`);
    return jobs;
  });
  return [...new Set(perModel.flat())];
}
