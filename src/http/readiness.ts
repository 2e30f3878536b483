// What /readyz reports besides the store: whether Slack accepted the token at start-up
// (auth.test done) and how the last SageMaker call went. Built in the composition root and told
// by start-up and by the SageMaker client's observer; it never calls anything itself.

export type DependencyStatus = 'ok' | 'starting' | 'failing' | 'unknown' | 'unavailable';

export interface DependencyState {
  status: DependencyStatus;
  /** A required dependency that is not ok (or unknown) makes /readyz answer 503. */
  required: boolean;
  /** The error code of the last failure (never a message, which may quote input). */
  error?: string;
}

export class Readiness {
  private slack: DependencyStatus;
  private sagemaker: { status: DependencyStatus; error?: string } = { status: 'unknown' };

  constructor(private readonly required: { slack: boolean; sagemaker: boolean }) {
    this.slack = required.slack ? 'starting' : 'unknown';
  }

  /** auth.test succeeded and the receiver is listening. */
  slackReady(): void {
    this.slack = 'ok';
  }

  /** The outcome of one SageMaker call: undefined error code when it succeeded. */
  sagemakerCall(errorCode: string | undefined): void {
    this.sagemaker = errorCode === undefined ? { status: 'ok' } : { status: 'failing', error: errorCode };
  }

  report(store: 'ok' | 'unavailable'): { ready: boolean; checks: Record<'store' | 'slack' | 'sagemaker', DependencyState> } {
    const checks = {
      store: { status: store, required: true },
      slack: { status: this.slack, required: this.required.slack },
      sagemaker: { status: this.sagemaker.status, required: this.required.sagemaker, ...(this.sagemaker.error ? { error: this.sagemaker.error } : {}) },
    };
    const ready = Object.values(checks).every((check) => !check.required || check.status === 'ok' || check.status === 'unknown');
    return { ready, checks };
  }
}
