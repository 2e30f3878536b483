// Building the SageMaker client, and the three habits every call shares: map failures at the
// edge, read "not found" as undefined, and validate responses with the same zod shapes the
// snapshot file uses.
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, RetryStrategyV2 } from '@smithy/types';
import type { z } from 'zod';
import { SourceUnavailable } from '../errors.js';
import { isNotFound, toLineageError } from './sagemaker-errors.js';

export interface SageMakerSourceOptions {
  region?: string;
  /** AWS_ENDPOINT_URL_SAGEMAKER: a VPC endpoint, or a fake SageMaker in tests. */
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  /** Per attempt: connecting, waiting for the response headers, and any silence while reading the body. */
  requestTimeoutMs: number;
  /** Calls in flight at once for one question (frontier continuation, describing list matches). */
  concurrency: number;
  /** Fixed credentials (tests); otherwise the SDK's standard credential chain. */
  credentials?: AwsCredentialIdentity;
  /** Replaces the SDK's retry strategy (tests use a tiny constant backoff); `retryMode` is then unused. */
  retryStrategy?: RetryStrategyV2;
}

export function createSageMakerClient(options: SageMakerSourceOptions): SageMakerClient {
  const timeout = options.requestTimeoutMs;
  return new SageMakerClient({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts,
    retryMode: options.retryMode,
    ...(options.retryStrategy !== undefined ? { retryStrategy: options.retryStrategy } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: timeout,
      requestTimeout: timeout,
      // Without this the handler only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
      // requestTimeout stops at the response headers; a body that stalls is caught by the socket timeout.
      socketTimeout: timeout,
    }),
  });
}

/**
 * The client of the owner fan-outs (an impact reads the tags of every affected model and
 * endpoint): adaptive retry, whatever AWS_RETRY_MODE says, so that throttling slows the fan-out's
 * sending instead of using up its retries. Its rate limiter is this client's alone: interactive
 * answers keep their own client and mode, and are not slowed by a fan-out's throttling.
 */
export function createFanOutClient(options: SageMakerSourceOptions): SageMakerClient {
  return createSageMakerClient(fanOutOptions(options));
}

/** The settings of the fan-out client: the source's, with adaptive retry. */
export function fanOutOptions<T extends Pick<SageMakerSourceOptions, 'retryMode'>>(options: T): T {
  return { ...options, retryMode: 'adaptive' };
}

/**
 * Every SageMaker call of one source goes through here: at most `maxInFlight` at once, however
 * many questions run together, so that the account is not flooded and no request waits for a
 * socket while its timeout runs. Failures leave as LineageErrors naming the operation.
 */
export class SageMakerCalls {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxInFlight: number) {}

  /** Runs one SageMaker operation (its retries included) once a slot is free. */
  async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.limited(run);
    } catch (error) {
      throw toLineageError(operation, error);
    }
  }

  /** Like `call`, but "no such resource" is an answer (undefined), not a failure. */
  async callOrUndefined<T>(operation: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.limited(run);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toLineageError(operation, error);
    }
  }

  private async limited<T>(run: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await run();
    } finally {
      this.release();
    }
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return;
    }
    // The releasing call hands its slot over directly, so inFlight stays as it is.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

/**
 * Follows NextToken until the last page, or until `enough` says the caller has what it needs
 * (it may look further first, e.g. describe the page's matches).
 * A token seen twice ends the loop: a service bug must not become an endless walk.
 */
export async function collectPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<{ items: readonly T[]; nextToken?: string | undefined }>,
  enough: (collected: readonly T[]) => boolean | Promise<boolean> = () => false,
): Promise<T[]> {
  const collected: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    collected.push(...page.items);
    token = page.nextToken || undefined;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined && !(await enough(collected)));
  return collected;
}

/**
 * A list member of a List* or Search response. Those responses are read field by field rather than
 * through a shape, so one whose list is not a list is refused here as unreadable, not a crash later.
 */
export function listMember<T>(operation: string, member: string, list: readonly T[] | undefined | null): readonly T[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new SourceUnavailable(`SageMaker returned a ${operation} response the bot cannot read: ${member}: expected a list`);
  return list;
}

/** Validates an SDK response against a snapshot shape; the SDK's `$metadata` is not part of the response's fields. */
export function parseResponse<S extends z.ZodType>(operation: string, shape: S, response: object): z.output<S> {
  const { $metadata: _metadata, ...fields } = response as Record<string, unknown>;
  const result = shape.safeParse(fields);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(response)'}: ${issue.message}`);
    throw new SourceUnavailable(`SageMaker returned a ${operation} response the bot cannot read: ${problems.join('; ')}`);
  }
  return result.data;
}
