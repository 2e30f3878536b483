// Builds the lineage source the configuration asks for.
import type { Config } from './config.js';
import { demoSnapshot } from './lineage/demo/demo-snapshot.js';
import type { LineageSource } from './lineage/source.js';
import { readSnapshotFile } from './lineage/sources/snapshot-file.js';
import { SnapshotSource } from './lineage/sources/snapshot.js';

export async function createSource(config: Config['source']): Promise<LineageSource> {
  switch (config.kind) {
    case 'demo':
      return new SnapshotSource(demoSnapshot(), 'embedded demo snapshot');
    case 'snapshot':
      return new SnapshotSource(await readSnapshotFile(config.path), `snapshot ${config.path}`);
    case 'sagemaker':
      throw new Error('not wired yet');
  }
}
