// A synthetic account where one feature group feeds many models, each owned by a different
// person or team — and the Slack workspace those owners live in. For fan-out tests and the bench.
import { createHash } from 'node:crypto';
import { parseSnapshot, SNAPSHOT_FORMAT_VERSION, type Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import type { FakeChannel, FakeUser } from './slack-fake.js';

const ARN = 'arn:aws:sagemaker:us-east-1:111122223333';
export const SHARED_GROUP = 'shared-features';

const artifactArn = (key: string) => `${ARN}:artifact/${createHash('md5').update(key).digest('hex')}`;

export interface OwnersAccount {
  snapshot: Snapshot;
  users: FakeUser[];
  channels: FakeChannel[];
  /** Slack ID of the feature group's owner (who may announce). */
  groupOwner: string;
}

/**
 * `owners` models downstream of SHARED_GROUP, each owned by someone else: 80% by a Slack user ID,
 * 10% by email, 10% by a team channel — so resolution takes every path.
 */
export function ownersAccount(owners: number): OwnersAccount {
  const fg = artifactArn(`fg-${SHARED_GROUP}`);
  const users: FakeUser[] = [{ id: 'UGROUPOWNER', name: 'Group Owner' }];
  const channels: FakeChannel[] = [{ id: 'CANNOUNCE', name: 'ml-platform' }];
  const artifacts: Record<string, unknown>[] = [
    { ArtifactArn: fg, ArtifactName: `fg-${SHARED_GROUP}`, ArtifactType: 'FeatureGroup', Source: { SourceUri: `${ARN}:feature-group/${SHARED_GROUP}` } },
  ];
  const models: Record<string, unknown>[] = [];
  const associations: Record<string, unknown>[] = [];
  const tags: Record<string, { Key: string; Value: string }[]> = {
    [`${ARN}:feature-group/${SHARED_GROUP}`]: [{ Key: 'owner', Value: 'UGROUPOWNER' }],
  };
  for (let i = 0; i < owners; i++) {
    const name = `model-${String(i).padStart(4, '0')}`;
    const data = `s3://bench-models/${name}/model.tar.gz`;
    const arn = artifactArn(`model/${name}`);
    artifacts.push({ ArtifactArn: arn, ArtifactName: `${name}-model`, ArtifactType: 'Model', Source: { SourceUri: data }, Properties: { SageMakerModelName: name } });
    associations.push({ SourceArn: fg, DestinationArn: arn, AssociationType: 'ContributedTo' });
    models.push({ ModelName: name, ModelArn: `${ARN}:model/${name}`, PrimaryContainer: { Image: 'xgboost', ModelDataUrl: data } });
    const userId = `UOWNER${String(i).padStart(4, '0')}`;
    let owner: { Key: string; Value: string };
    if (i % 10 === 8) {
      const email = `owner${i}@example.com`;
      users.push({ id: userId, email, name: `Owner ${i}` });
      owner = { Key: 'owner', Value: email };
    } else if (i % 10 === 9) {
      const channel = { id: `CTEAM${String(i).padStart(4, '0')}`, name: `team-${i}` };
      channels.push(channel);
      owner = { Key: 'slack-channel', Value: `#${channel.name}` };
    } else {
      users.push({ id: userId, name: `Owner ${i}` });
      owner = { Key: 'owner', Value: userId };
    }
    tags[`${ARN}:model/${name}`] = [owner];
  }
  const snapshot = parseSnapshot(
    {
      FormatVersion: SNAPSHOT_FORMAT_VERSION,
      Artifacts: artifacts,
      Associations: associations,
      FeatureGroups: [
        {
          FeatureGroupArn: `${ARN}:feature-group/${SHARED_GROUP}`,
          FeatureGroupName: SHARED_GROUP,
          RecordIdentifierFeatureName: 'id',
          EventTimeFeatureName: 'event_time',
          FeatureDefinitions: [
            { FeatureName: 'id', FeatureType: 'String' },
            { FeatureName: 'event_time', FeatureType: 'Fractional' },
          ],
          FeatureGroupStatus: 'Created',
        },
      ],
      Models: models,
      Tags: tags,
    },
    'owners account',
  );
  return { snapshot, users, channels, groupOwner: 'UGROUPOWNER' };
}
