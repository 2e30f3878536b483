// Builds the lineage source the configuration asks for.
import type { Config, SageMakerSettings } from './config.js';
import { ConfigError } from './config-error.js';
import { createSageMakerSource } from './lineage/sources/sagemaker.js';
import { createSageMakerClient, fanOutOptions } from './lineage/sources/sagemaker-client.js';
import { demoSnapshot } from './lineage/demo/demo-snapshot.js';
import type { LineageSource } from './lineage/lineage-source.js';
import { readSnapshotFile } from './lineage/sources/snapshot-file.js';
import { SnapshotSource } from './lineage/sources/snapshot.js';

/** Told the outcome of every SageMaker call: its operation, error code (undefined when it succeeded) and duration. */
export type SageMakerCallObserver = (call: { operation: string; errorCode: string | undefined; seconds: number }) => void;

/** The SageMaker client of the source, with `observe` told about every call (readiness, metrics). */
function observedClient(settings: SageMakerSettings, observe: SageMakerCallObserver) {
  const client = createSageMakerClient(settings);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      try {
        const result = await next(args);
        observe({ operation, errorCode: undefined, seconds: seconds() });
        return result;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        observe({ operation, errorCode: /^[A-Za-z]{1,64}$/.test(name) ? name : 'Error', seconds: seconds() });
        throw error;
      }
    },
    // Outermost: one observation per call, retries included.
    { step: 'initialize', name: 'lineageBotObserver' },
  );
  return client;
}

export async function createSource(config: Pick<Config, 'source' | 'sagemaker'>, observe?: SageMakerCallObserver): Promise<LineageSource> {
  switch (config.source.kind) {
    case 'demo':
      return new SnapshotSource(demoSnapshot(), 'embedded demo snapshot');
    case 'snapshot':
      return new SnapshotSource(await readSnapshotFile(config.source.path), `snapshot ${config.source.path}`);
    case 'sagemaker':
      await requireSageMakerRegion(config.sagemaker);
      // Two clients, both observed: one for answers (AWS_RETRY_MODE), one for owner fan-outs (adaptive).
      return observe
        ? createSageMakerSource(config.sagemaker, observedClient(config.sagemaker, observe), observedClient(fanOutOptions(config.sagemaker), observe))
        : createSageMakerSource(config.sagemaker);
  }
}

/**
 * Without AWS_REGION the SDK looks in the shared AWS config; with no region there either, every
 * SageMaker call fails ("Region is missing") and each answer would blame an outage. Stop at start-up.
 */
export async function requireSageMakerRegion(settings: SageMakerSettings): Promise<void> {
  if (settings.region !== undefined) return;
  const client = createSageMakerClient(settings);
  try {
    await client.config.region();
  } catch (error) {
    if (!(error instanceof Error && /region is missing/i.test(error.message))) throw error;
    throw new ConfigError([
      'AWS_REGION is required to read SageMaker, and the AWS configuration (profile) names no region: set AWS_REGION, e.g. AWS_REGION=us-east-1',
    ]);
  } finally {
    client.destroy();
  }
}
