// Which request the code is handling, wherever it is: an AsyncLocalStorage, one per runtime
// (src/main.ts makes it and hands it to the logger and to createRuntime; tests make their own).
// The HTTP receiver opens it for every request (src/slack-receiver.ts); a Bolt middleware adds the
// user and team ids Bolt read from the payload, or opens it itself in Socket Mode and the console.
// It holds ids and names of routes only, never text from a payload: the log reads it on every line.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';

/** What the log may say about a request: never its body, signature or tokens. */
export interface RequestSummary {
  /** Made when the request starts: every log line written while handling it carries it. */
  requestId?: string;
  /** HTTP only: Socket Mode and the console have no method or path. */
  method?: string;
  path?: string;
  /** The payload's type (block_actions, view_submission, event_callback…) or slash command, once known. */
  kind?: string;
  retryNum?: string;
  /** The Slack user and team (workspace) the payload is from, once Bolt has read them. */
  userId?: string;
  teamId?: string;
}

/** A Slack id (U…, W…, T…, E…): letters and digits only, so nothing typed can pass for one. */
const SLACK_ID = /^[A-Z0-9]{2,32}$/;

export class RequestContext {
  private readonly storage = new AsyncLocalStorage<RequestSummary>();

  run<T>(summary: RequestSummary, work: () => T): T {
    summary.requestId ??= randomUUID();
    return this.storage.run(summary, work);
  }

  current(): RequestSummary | undefined {
    return this.storage.getStore();
  }

  /** "POST /slack/events (block_actions)", for logs. */
  describe(summary = this.current()): string | undefined {
    if (!summary) return undefined;
    const where = summary.method !== undefined ? `${summary.method} ${summary.path ?? ''}` : 'a Slack event';
    return `${where}${summary.kind ? ` (${summary.kind})` : ''}${summary.retryNum ? ` retry ${summary.retryNum}` : ''}`;
  }

  /** The ids every log line carries while a request is handled: request_id, user_id, team_id. */
  logFields(): Record<string, string> {
    const summary = this.current();
    if (!summary) return {};
    return {
      ...(summary.requestId ? { request_id: summary.requestId } : {}),
      ...(summary.userId ? { user_id: summary.userId } : {}),
      ...(summary.teamId ? { team_id: summary.teamId } : {}),
    };
  }

  /**
   * A global Bolt middleware: the user and team ids of Bolt's context into the request being
   * handled (HTTP), or into a new one around the listeners (Socket Mode, console).
   */
  middleware(): Middleware<AnyMiddlewareArgs> {
    return async ({ context, next }) => {
      const ids: RequestSummary = {
        ...(typeof context.userId === 'string' && SLACK_ID.test(context.userId) ? { userId: context.userId } : {}),
        ...(typeof context.teamId === 'string' && SLACK_ID.test(context.teamId) ? { teamId: context.teamId } : {}),
      };
      const current = this.current();
      if (current) {
        Object.assign(current, ids);
        await next();
      } else await this.run(ids, next);
    };
  }
}
