// Domain errors with a stable `code`. Listeners turn each code into one user-facing message;
// adapters map their own failures (AWS exceptions, file errors) onto these classes.
import type { AccountScope } from './account-scope.js';

export type LineageErrorCode =
  | 'EntityNotFound'
  | 'AmbiguousName'
  | 'BadInput'
  | 'WrongKind'
  | 'SourceUnavailable'
  | 'NotAuthorized'
  | 'Throttled'
  | 'InvalidSnapshot'
  | 'NoLineageRecorded'
  | 'ForeignResource';

export abstract class LineageError extends Error {
  abstract readonly code: LineageErrorCode;
}

/**
 * Nothing by that name, ARN or URI. `suggestions` are close matches the user may have meant;
 * `searchText`, when set, is text a name search would accept and could find it by.
 */
export class EntityNotFound extends LineageError {
  readonly code = 'EntityNotFound';
  constructor(
    readonly input: string,
    readonly suggestions: readonly string[] = [],
    readonly lookedFor = 'entity',
    readonly searchText?: string,
  ) {
    super(`No ${lookedFor} found for "${input}"`);
  }
}

/** A name that matches several entities of different kinds or several lineage entities. */
export class AmbiguousName extends LineageError {
  readonly code = 'AmbiguousName';
  constructor(
    readonly input: string,
    readonly candidates: readonly { kind: string; name: string; arn: string }[],
  ) {
    super(`"${input}" matches ${candidates.length} entities`);
  }
}

/** A question asked well, to show next to a refusal: each front end writes it its own way (a slash command in Slack). */
export interface ExampleRequest {
  question: string;
  input: string;
}

/** Malformed input: an ARN that is not one, an empty name, a feature without a group. */
export class BadInput extends LineageError {
  readonly code = 'BadInput';
  constructor(
    message: string,
    readonly hint?: string,
    readonly example?: ExampleRequest,
  ) {
    super(message);
  }
}

/** What a WrongKind input really is, so the answer can say how to ask about it instead. */
export interface KindHint {
  /** The Kind it is ("Model"). */
  kind: string;
  /** How a question can name it: its name, or the ARN, URI or link that was typed. */
  input: string;
  /** Entities it is tied to that may be what was meant: a model's endpoints, an endpoint's models. */
  related?: { kind: string; names: readonly string[] };
}

/** The entity exists but is not of a kind the question applies to (a model asked for its consumers). */
export class WrongKind extends LineageError {
  readonly code = 'WrongKind';
  constructor(
    readonly input: string,
    readonly actualKind: string,
    readonly expected: readonly string[],
    readonly hint?: KindHint,
  ) {
    super(`"${input}" is ${withArticle(actualKind)}, not ${withArticle(expected.join(' or '))}`);
  }
}

/**
 * An ARN or console link into another partition, region or account than the one the bot reads:
 * answered as such, never with a same-named entity here. `where` holds what the input says.
 */
export class ForeignResource extends LineageError {
  readonly code = 'ForeignResource';
  constructor(
    readonly input: string,
    readonly where: Partial<AccountScope>,
    readonly home: AccountScope,
  ) {
    super(`"${input}" is outside ${home.account ?? 'the account'} in ${home.region}`);
  }
}

/** The source could not answer: network error, 5xx, timeout. */
export class SourceUnavailable extends LineageError {
  readonly code = 'SourceUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The source refused: missing IAM permission. `permission` names it when known (sagemaker:QueryLineage).
 * `credentials` means no permission is at fault: the identity itself is missing, expired or not accepted.
 */
export class NotAuthorized extends LineageError {
  readonly code = 'NotAuthorized';
  readonly credentials: boolean;
  constructor(message: string, readonly permission?: string, options?: { cause?: unknown; credentials?: boolean }) {
    super(message, options);
    this.credentials = options?.credentials ?? false;
  }
}

/** Throttled even after the retries. */
export class Throttled extends LineageError {
  readonly code = 'Throttled';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A snapshot file that does not parse or does not match SageMaker's shapes. */
export class InvalidSnapshot extends LineageError {
  readonly code = 'InvalidSnapshot';
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid lineage snapshot ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function isLineageError(error: unknown): error is LineageError {
  return error instanceof LineageError;
}

/** The SageMaker resource exists but no lineage entity stands for it (nothing recorded its lineage). */
export class NoLineageRecorded extends LineageError {
  readonly code = 'NoLineageRecorded';
  constructor(
    readonly kind: string,
    readonly resourceName: string,
  ) {
    super(`The ${kind} "${resourceName}" exists but has no lineage recorded`);
  }
}

/** "a model", "an endpoint": the article for a kind label that follows. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
