// Builds the lineage source the configuration asks for.
import type { Config } from './config.js';
import { createSageMakerSource } from './lineage/sources/sagemaker.js';
import { demoSnapshot } from './lineage/demo/demo-snapshot.js';
import type { LineageSource } from './lineage/source.js';
import { readSnapshotFile } from './lineage/sources/snapshot-file.js';
import { SnapshotSource } from './lineage/sources/snapshot.js';

export async function createSource(config: Pick<Config, 'source' | 'sagemaker'>): Promise<LineageSource> {
  switch (config.source.kind) {
    case 'demo':
      return new SnapshotSource(demoSnapshot(), 'embedded demo snapshot');
    case 'snapshot':
      return new SnapshotSource(await readSnapshotFile(config.source.path), `snapshot ${config.source.path}`);
    case 'sagemaker':
      return createSageMakerSource(config.sagemaker);
  }
}
