// The baseline: what the public ml-lineage-helper library does to answer the same two questions
// (its QueryLineage class, get_models_from_feature_group / get_feature_groups_from_model), with
// the real SageMakerClient:
//   - resolve the start artifact with ListArtifacts(SourceUri, MaxResults=1);
//   - breadth-first, one node at a time, sequentially: ListAssociations(SourceArn=node) going
//     downstream or ListAssociations(DestinationArn=node) going upstream, every page, with the
//     API's default page size;
//   - pick the answers by the association's DestinationType / SourceType ("Model", "FeatureGroup");
//   - then one Describe call per answer, to name it.
//
// Its walk cap: the helper's `max_depth` (default 5) is a counter incremented once per dequeued
// node, not per level, and the loop stops when it exceeds the limit — so it expands at most
// 6 nodes, whatever the depth. HELPER_EXPANDED_NODES mirrors that; Infinity walks to the end
// (the same naive algorithm made complete, to compare like with like).
//
// Per answer it makes the calls the helper makes: for each feature group, Artifact.load twice
// (two DescribeArtifact) and FeatureGroup.describe (DescribeFeatureGroup, whose offline store it
// reports); for each model, one DescribeArtifact. The helper does not report endpoints at all;
// this client names them with one DescribeContext each, so that it answers the same question.
import {
  DescribeArtifactCommand,
  DescribeContextCommand,
  DescribeFeatureGroupCommand,
  DescribeModelCommand,
  ListArtifactsCommand,
  ListAssociationsCommand,
  SageMakerClient,
  type AssociationSummary,
} from '@aws-sdk/client-sagemaker';
import { nameFromArn } from '../src/lineage/reference.js';

/** The helper's default walk: max_depth=5 counted per expanded node, so 6 nodes. */
export const HELPER_EXPANDED_NODES = 6;

export interface NaiveConsumers {
  models: string[];
  endpoints: string[];
  /** The walk stopped at its node cap with nodes still queued. */
  cutShort: boolean;
}

export interface NaiveDependencies {
  featureGroups: string[];
  cutShort: boolean;
}

/** Fixed fake credentials: the SDK then never walks the credential chain (no IMDS, no network). */
export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret' };

/** A SageMakerClient for the local fake. */
export function benchSageMakerClient(endpoint: string): SageMakerClient {
  return new SageMakerClient({
    region: 'us-east-1',
    endpoint,
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 3,
  });
}

export class NaiveLineageClient {
  constructor(
    private readonly client: SageMakerClient,
    /** Nodes the walk may expand; Infinity for no cap. */
    private readonly maxExpandedNodes: number = HELPER_EXPANDED_NODES,
  ) {}

  /** Models and endpoints downstream of a feature group (by name). */
  async consumers(featureGroupName: string): Promise<NaiveConsumers> {
    const group = await this.client.send(new DescribeFeatureGroupCommand({ FeatureGroupName: featureGroupName }));
    const start = await this.artifactBySourceUri(group.FeatureGroupArn ?? '');
    if (!start) return { models: [], endpoints: [], cutShort: false };
    const walk = await this.walk(start, 'down', (a) => a.DestinationType === 'Model' || a.DestinationType === 'Endpoint');
    const models: string[] = [];
    const endpoints: string[] = [];
    for (const found of walk.found) {
      if (found.type === 'Model') {
        const artifact = await this.client.send(new DescribeArtifactCommand({ ArtifactArn: found.arn }));
        models.push(artifact.Properties?.['SageMakerModelName'] ?? artifact.Source?.SourceUri ?? found.arn);
      } else {
        // DescribeContext takes the name, which is the last part of a context ARN.
        const context = await this.client.send(new DescribeContextCommand({ ContextName: nameFromArn(found.arn) ?? found.arn }));
        endpoints.push(nameFromArn(context.Source?.SourceUri ?? '') ?? found.arn);
      }
    }
    return { models: sorted(models), endpoints: sorted(endpoints), cutShort: walk.cutShort };
  }

  /** Feature groups upstream of a model (by name). */
  async dependencies(modelName: string): Promise<NaiveDependencies> {
    const model = await this.client.send(new DescribeModelCommand({ ModelName: modelName }));
    const start = await this.artifactBySourceUri(model.PrimaryContainer?.ModelDataUrl ?? '');
    if (!start) return { featureGroups: [], cutShort: false };
    const walk = await this.walk(start, 'up', (a) => a.SourceType === 'FeatureGroup');
    const featureGroups: string[] = [];
    for (const found of walk.found) {
      const artifact = await this.client.send(new DescribeArtifactCommand({ ArtifactArn: found.arn }));
      const name = (artifact.ArtifactName ?? found.arn).replace(/^fg-/, '');
      // The helper loads the artifact again for its SourceUri, then describes the feature group.
      await this.client.send(new DescribeArtifactCommand({ ArtifactArn: found.arn }));
      await this.client.send(new DescribeFeatureGroupCommand({ FeatureGroupName: name }));
      featureGroups.push(name);
    }
    return { featureGroups: sorted(featureGroups), cutShort: walk.cutShort };
  }

  private async artifactBySourceUri(sourceUri: string): Promise<string | undefined> {
    const listed = await this.client.send(new ListArtifactsCommand({ SourceUri: sourceUri, MaxResults: 1 }));
    return listed.ArtifactSummaries?.[0]?.ArtifactArn;
  }

  /** Breadth-first over associations, one node and one call at a time, as the helper walks. */
  private async walk(
    start: string,
    direction: 'up' | 'down',
    isAnswer: (association: AssociationSummary) => boolean,
  ): Promise<{ found: { arn: string; type: string }[]; cutShort: boolean }> {
    const queue = [start];
    const discovered = new Set([start]);
    const found: { arn: string; type: string }[] = [];
    let expanded = 0;
    while (queue.length > 0) {
      if (expanded >= this.maxExpandedNodes) {
        return { found, cutShort: true };
      }
      const node = queue.shift() as string;
      expanded++;
      for (const association of await this.associations(node, direction)) {
        const next = direction === 'down' ? association.DestinationArn : association.SourceArn;
        if (next === undefined || discovered.has(next)) continue;
        discovered.add(next);
        queue.push(next);
        if (isAnswer(association)) {
          found.push({ arn: next, type: (direction === 'down' ? association.DestinationType : association.SourceType) ?? '' });
        }
      }
    }
    return { found, cutShort: false };
  }

  /** Every page of ListAssociations for one node, one after the other. */
  private async associations(node: string, direction: 'up' | 'down'): Promise<AssociationSummary[]> {
    const all: AssociationSummary[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListAssociationsCommand({
          ...(direction === 'down' ? { SourceArn: node } : { DestinationArn: node }),
          ...(token ? { NextToken: token } : {}),
        }),
      );
      all.push(...(page.AssociationSummaries ?? []));
      token = page.NextToken;
    } while (token);
    return all;
  }
}

function sorted(names: string[]): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}
