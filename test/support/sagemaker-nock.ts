// The real SageMakerClient for tests (fake credentials, the mocked endpoint, short timeouts), as a
// lineage source and as the account `record` writes to; and nock helpers for the adapter's own
// tests: one interceptor per SageMaker operation (matched on x-amz-target), bodies in the official
// JSON 1.1 shapes.
import { readFileSync } from 'node:fs';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createSageMakerClient } from '../../src/lineage/sources/sagemaker-client.js';
import { httpMock, type Scope } from './http-mock.js';
import { createSageMakerSource, type SageMakerSource, type SageMakerSourceOptions } from '../../src/lineage/sources/sagemaker.js';
import { createLineageAccount, type SageMakerLineageAccount } from '../../src/record/sagemaker-account.js';
import { SageMakerFeatureGroupMarker } from '../../src/notices/sagemaker/feature-group-marker.js';

export const SAGEMAKER_URL = 'https://api.sagemaker.us-east-1.amazonaws.com';
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake' };
export const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };

/** Client settings for tests: fake credentials, the mocked endpoint, short timeouts. */
export function testOptions(overrides: Partial<SageMakerSourceOptions> = {}): SageMakerSourceOptions {
  return {
    region: 'us-east-1',
    endpoint: SAGEMAKER_URL,
    maxAttempts: 3,
    retryMode: 'standard',
    requestTimeoutMs: 2_000,
    concurrency: 4,
    credentials: FAKE_CREDENTIALS,
    ...overrides,
  };
}

/** The real SageMakerClient with those settings; retries back off 1 ms so tests stay fast. */
export function testClient(options: SageMakerSourceOptions): SageMakerClient {
  return createSageMakerClient({ ...options, retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts, 1) });
}

/** Write-back's marker over the real client with fake credentials (retries back off 1 ms). */
export function testMarker(overrides: Partial<SageMakerSourceOptions> = {}): SageMakerFeatureGroupMarker {
  return new SageMakerFeatureGroupMarker(testClient(testOptions(overrides)));
}

/** A source over the real client with fake credentials. */
export function testSource(overrides: Partial<SageMakerSourceOptions> = {}): SageMakerSource {
  const options = testOptions(overrides);
  return createSageMakerSource(options, testClient(options));
}

/** The account `record` and `infer` write to, over the same test client. */
export function testAccount(overrides: Partial<SageMakerSourceOptions> = {}): SageMakerLineageAccount {
  const options = testOptions(overrides);
  return createLineageAccount(options, testClient(options));
}

type Body = Record<string, unknown>;

/** The scope for one SageMaker operation. */
function sagemakerScope(operation: string): Scope {
  return httpMock.scope(SAGEMAKER_URL, { reqheaders: { 'x-amz-target': `SageMaker.${operation}`, ...JSON_11 } });
}

/** True when every member of `expected` equals the one in `body`; members it does not name may be anything. */
function includes(body: Body, expected: Body): boolean {
  return Object.entries(expected).every(([key, value]) => JSON.stringify(body[key]) === JSON.stringify(value));
}

/** An interceptor for one SageMaker operation, optionally matching members of the request body. */
export function sagemaker(operation: string, body?: Body | ((body: Body) => boolean)) {
  const matches = body === undefined ? () => true : typeof body === 'function' ? body : (actual: Body) => includes(actual, body);
  return sagemakerScope(operation).post('/', (actual: Body) => matches(actual));
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/sagemaker/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function awsError(type: string, message: string): { __type: string; message: string } {
  return { __type: type, message };
}
