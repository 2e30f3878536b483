// The bench's synthetic account generator: its shape, not its timings. A small account keeps it
// cheap; the 10× preset is checked by its numbers, which the bench passes to the same generator.
import { describe, expect, it } from 'vitest';
import { HOME_ENDPOINTS, HOME_MODELS, HOME_OWNER, SCALE_10X, SCALE_1X, syntheticAccount, syntheticOwners } from '../../bench/synthetic-account.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';

const SMALL = { featureGroups: 30, models: 200, endpoints: 150, derivedFeatureGroups: 4, deepModels: 6, ownerTags: true, trainingJobs: true };

/** Hops from `from` to every entity downstream of it. */
function hopsFrom(account: Snapshot, from: string): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const a of account.Associations) next.set(a.SourceArn, [...(next.get(a.SourceArn) ?? []), a.DestinationArn]);
  const hops = new Map([[from, 0]]);
  const queue = [from];
  for (let arn = queue.shift(); arn !== undefined; arn = queue.shift()) {
    for (const to of next.get(arn) ?? []) {
      if (hops.has(to)) continue;
      hops.set(to, (hops.get(arn) as number) + 1);
      queue.push(to);
    }
  }
  return hops;
}

describe('syntheticAccount', () => {
  const account = syntheticAccount(SMALL);

  it('has the counts it was asked for, derived groups among the feature groups', () => {
    expect(account.FeatureGroups).toHaveLength(30);
    expect(account.Models).toHaveLength(200);
    expect(account.Endpoints).toHaveLength(150);
    expect(account.FeatureGroups.filter((g) => g.FeatureGroupName.includes('-derived-'))).toHaveLength(4);
    expect(account.TrainingJobs).toHaveLength(200);
  });

  it('has chains deeper than QueryLineage’s 10 hops from feature groups to models', () => {
    const groupArtifacts = account.Artifacts.filter((a) => a.ArtifactType === 'FeatureGroup').map((a) => a.ArtifactArn);
    const models = new Set(account.Artifacts.filter((a) => a.ArtifactType === 'Model').map((a) => a.ArtifactArn));
    const deep = new Set<string>();
    for (const group of groupArtifacts) {
      for (const [arn, hops] of hopsFrom(account, group)) if (models.has(arn) && hops > 10) deep.add(arn);
    }
    // The deep models, and models reading a derived group built from an fg- artifact.
    expect(deep.size).toBeGreaterThanOrEqual(SMALL.deepModels);
  });

  it('tags the same few resources to the home owner whatever the size, the rest to the pool', () => {
    const ownedBy = (snapshot: Snapshot, owner: string) => Object.values(snapshot.Tags).filter((tags) => tags.some((t) => t.Key === 'owner' && t.Value === owner)).length;
    expect(ownedBy(account, HOME_OWNER)).toBe(HOME_MODELS + HOME_ENDPOINTS);
    const bigger = syntheticAccount({ ...SMALL, models: 400, endpoints: 300 });
    expect(ownedBy(bigger, HOME_OWNER)).toBe(HOME_MODELS + HOME_ENDPOINTS);
    const owners = new Set(syntheticOwners());
    expect(Object.values(account.Tags).every((tags) => tags.every((t) => owners.has(t.Value)))).toBe(true);
    expect(Object.keys(account.Tags)).toHaveLength(30 + 200 + 150);
  });

  it('gives each training job the channels its datasets were recorded at', () => {
    const datasetUris = new Set(account.Artifacts.filter((a) => a.ArtifactType === 'DataSet').map((a) => a.Source?.SourceUri));
    const uris = account.TrainingJobs.flatMap((job) => (job.InputDataConfig ?? []).map((c) => c.DataSource?.S3DataSource?.S3Uri));
    expect(uris.length).toBeGreaterThanOrEqual(200);
    expect(uris.every((uri) => datasetUris.has(uri))).toBe(true);
  });

  it('is the same account for the same seed, and without tags or jobs the same lineage', () => {
    expect(JSON.stringify(syntheticAccount(SMALL))).toBe(JSON.stringify(account));
    const plain = syntheticAccount({ ...SMALL, ownerTags: false, trainingJobs: false });
    expect(plain.Associations).toEqual(account.Associations);
    expect(plain.Tags).toEqual({});
  });

  it('has a 10× preset ten times the 1× in every count', () => {
    expect(SCALE_10X).toEqual({ featureGroups: 2_000, models: 20_000, endpoints: 15_000, derivedFeatureGroups: 120, deepModels: 400 });
    for (const key of Object.keys(SCALE_1X) as (keyof typeof SCALE_1X)[]) expect(SCALE_10X[key]).toBe(SCALE_1X[key] * 10);
  });
});
