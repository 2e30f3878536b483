// The last resort, once the bot is serving: an error nothing caught (an uncaught exception or an
// unhandled rejection) is logged with the request it happened in, and the bot keeps serving —
// one bad request must not take every other conversation, the outbox and the reminders down.
//
// It does not keep the process alive when that would hide a process that cannot work any more:
// - errors that mean the process's resources are gone: the HTTP port (EADDRINUSE, EACCES,
//   EADDRNOTAVAIL), memory (ENOMEM, an allocation that failed, a worker out of memory);
// - errors arriving in a burst (more than 10 in a minute): something is broken for every request,
//   and a supervisor restarting the process helps more than a log full of the same error.
// Those are logged and the process exits with 1. Errors during start-up are not handled here at
// all: src/main.ts only installs this after the bot says it is listening, so a bot that cannot
// start stops with its message. V8 running out of heap aborts the process before any handler runs.
import type { Logger } from '@slack/bolt';
import type { RequestContext } from './request-context.js';

const FATAL_CODES = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOMEM', 'ERR_WORKER_OUT_OF_MEMORY']);
const FATAL_MESSAGES = /allocation failed|out of memory|Invalid (?:array|string|typed array) length/i;
export const BURST = { count: 10, windowMs: 60_000 } as const;

/** Whether an error nothing caught means the process should stop rather than go on serving. */
export function isFatal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && FATAL_CODES.has(code)) return true;
  return error instanceof RangeError && FATAL_MESSAGES.test(error.message);
}

export interface LastResortOptions {
  logger: Logger;
  requests: RequestContext;
  /** Ends the process (src/main.ts owns process.exit). */
  exit: (code: number) => void;
  /** Where the events come from; `process` in the bot. */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
  now?: () => number;
}

/** Installs the handlers; returns a function that removes them. */
export function installLastResort(options: LastResortOptions): () => void {
  const target = options.target ?? process;
  const now = options.now ?? Date.now;
  const recent: number[] = [];
  const handle = (error: unknown, origin: string) => {
    const request = options.requests.describe();
    const where = request ? ` while handling ${request}` : '';
    const at = now();
    recent.push(at);
    while (recent.length > 0 && (recent[0] as number) <= at - BURST.windowMs) recent.shift();
    if (isFatal(error)) {
      options.logger.error(`Stopping: ${origin}${where} that the process cannot recover from:`, error);
      options.exit(1);
      return;
    }
    if (recent.length > BURST.count) {
      options.logger.error(`Stopping: ${recent.length} unexpected errors within ${BURST.windowMs / 1000} s, the last one (${origin})${where}:`, error);
      options.exit(1);
      return;
    }
    options.logger.error(`Unexpected error (${origin})${where}; still serving:`, error);
  };
  const onException = (error: Error, origin: string) => handle(error, origin === 'unhandledRejection' ? 'unhandled rejection' : 'uncaught exception');
  const onRejection = (reason: unknown) => handle(reason, 'unhandled rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
