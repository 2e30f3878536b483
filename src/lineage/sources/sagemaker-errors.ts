// Maps what the AWS SDK throws onto the domain errors, at the adapter edge. The SDK has already
// retried throttling, 5xx, timeouts and connection errors by the time an error reaches here, so
// each mapping describes a final outcome.
import { LineageError, NotAuthorized, SourceUnavailable, Throttled } from '../errors.js';

/** The parts of an SDK error we read; everything is optional because network errors carry none of it. */
interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** The request was signed with credentials SageMaker does not accept: no permission is missing, the identity is. */
const CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
  'IncompleteSignature',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * DescribeModel, DescribeEndpoint and friends report a missing name as a ValidationException
 * ("Could not find model …", "Requested resource not found"), not as ResourceNotFound.
 */
const NOT_FOUND_MESSAGE = /could not find|could not be found|cannot be found|not found|does not exist/i;

function asSdkError(error: unknown): SdkErrorLike {
  return typeof error === 'object' && error !== null ? (error as SdkErrorLike) : { message: String(error) };
}

/** True when SageMaker answered "no such resource", which the port reports as `undefined`. */
export function isNotFound(error: unknown): boolean {
  const { name, message = '' } = asSdkError(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return true;
  return name === 'ValidationException' && NOT_FOUND_MESSAGE.test(message);
}

/**
 * AWS messages are not supposed to carry secrets, but signature errors echo parts of the signed
 * request; access key ids and long opaque tokens are cut out before a message reaches a user or a log.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '[redacted key id]')
    .replace(/(Credential|Signature|X-Amz-Security-Token|SessionToken)=[^\s,&'"]+/gi, '$1=[redacted]')
    .replace(/[A-Za-z0-9+/=_-]{64,}/g, '[redacted]')
    .slice(0, 300);
}

/** A cause that keeps what helps debugging (name, status, attempts) and nothing the SDK attached about the request. */
function safeCause(error: SdkErrorLike): Error {
  const cause = new Error(redactSecrets(error.message ?? ''));
  cause.name = error.name ?? 'Error';
  return Object.assign(cause, {
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.$metadata ? { $metadata: { httpStatusCode: error.$metadata.httpStatusCode, attempts: error.$metadata.attempts } } : {}),
  });
}

/** Turns anything a SageMaker call threw into a LineageError that names the operation. */
export function toLineageError(operation: string, error: unknown): LineageError {
  if (error instanceof LineageError) return error;
  const sdk = asSdkError(error);
  const name = sdk.name ?? 'Error';
  const status = sdk.$metadata?.httpStatusCode;
  const attempts = sdk.$metadata?.attempts;
  const cause = safeCause(sdk);
  const permission = `sagemaker:${operation}`;

  if (THROTTLING_NAMES.has(name) || status === 429) {
    const tries = attempts !== undefined ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : '';
    return new Throttled(`SageMaker throttled ${operation}${tries}`, { cause });
  }
  if (name === 'CredentialsProviderError') {
    // Nothing reached SageMaker: the SDK's credential chain found nothing to sign with.
    return new NotAuthorized(
      `No AWS credentials were found for ${operation}: set them through the standard chain (environment, shared profile, SSO, container or instance role)`,
      undefined,
      { cause, credentials: true },
    );
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return new NotAuthorized(`SageMaker did not accept the AWS credentials for ${operation} (${name})`, undefined, { cause, credentials: true });
  }
  if (name.startsWith('AccessDenied') || status === 403) {
    return new NotAuthorized(`The AWS identity is not allowed to call ${permission}`, permission, { cause });
  }
  // Checked before TimeoutError: the HTTP handler renames refused and reset connections to TimeoutError.
  if (sdk.code !== undefined && NETWORK_CODES.has(sdk.code)) {
    return new SourceUnavailable(`Could not reach SageMaker for ${operation} (${sdk.code})`, { cause });
  }
  if (name === 'TimeoutError' || sdk.code === 'ETIMEDOUT') {
    return new SourceUnavailable(`SageMaker did not answer ${operation} in time`, { cause });
  }
  if (status !== undefined && status >= 500) {
    return new SourceUnavailable(`SageMaker failed ${operation} (HTTP ${status} ${name})`, { cause });
  }
  if (status !== undefined && status < 300) {
    // The SDK could not parse a successful response (not JSON, cut short): nothing was rejected.
    return new SourceUnavailable(`SageMaker sent a ${operation} response the bot cannot read (HTTP ${status}, ${name})`, { cause });
  }
  if (status !== undefined) {
    return new SourceUnavailable(`SageMaker rejected ${operation}: ${name}: ${redactSecrets(sdk.message ?? '')}`, { cause });
  }
  return new SourceUnavailable(`SageMaker ${operation} failed: ${name}: ${redactSecrets(sdk.message ?? '')}`, { cause });
}
