// GET /metrics: Prometheus metrics (prom-client) on a registry the composition root creates, so
// tests and several runtimes in one process never share counters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { CustomRoute } from '@slack/bolt';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryStatus } from '../notices/model.js';

export interface OutboxCounts {
  byStatus: Record<DeliveryStatus, number>;
  oldestPendingCreatedAt?: number;
}

export interface MetricsOptions {
  /** The store's outbox counts, read at each scrape (absent in console mode). */
  outbox?: () => Promise<OutboxCounts>;
  now?: () => number;
  /** Node's process metrics (CPU, memory, event loop); off in tests. */
  processMetrics?: boolean;
}

/** Every metric the bot exports; the observers in src/app.ts feed them. */
export class Metrics {
  readonly registry = new Registry();
  readonly answers: Histogram<'question' | 'outcome'>;
  readonly cache: Counter<'result'>;
  readonly sagemakerCalls: Counter<'operation' | 'error_code'>;
  readonly sagemakerSeconds: Histogram<'operation'>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'lineage_bot_' });
    this.answers = new Histogram({
      name: 'lineage_bot_answer_seconds',
      help: 'Time to answer a lineage question, by question and outcome (ok or the error code)',
      labelNames: ['question', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.cache = new Counter({ name: 'lineage_bot_cache_lookups_total', help: 'Lineage cache lookups, by result (hit, miss, stale, coalesced)', labelNames: ['result'], registers });
    this.sagemakerCalls = new Counter({
      name: 'lineage_bot_sagemaker_calls_total',
      help: 'SageMaker calls (retries included), by operation and error code (none when it succeeded)',
      labelNames: ['operation', 'error_code'],
      registers,
    });
    this.sagemakerSeconds = new Histogram({
      name: 'lineage_bot_sagemaker_call_seconds',
      help: 'Duration of SageMaker calls, retries included, by operation',
      labelNames: ['operation'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const outbox = options.outbox;
    if (outbox) {
      const now = options.now ?? Date.now;
      // The store is shared by every replica: these are the outbox's totals, not this process's.
      const read = () => outbox();
      new Gauge({
        name: 'lineage_bot_outbox_deliveries',
        help: 'Deliveries of notices in the store, by status (pending is the outbox depth; sent, failed and cancelled are totals)',
        labelNames: ['status'],
        registers,
        async collect() {
          const counts = await read();
          for (const [status, count] of Object.entries(counts.byStatus)) this.set({ status }, count);
        },
      });
      new Gauge({
        name: 'lineage_bot_outbox_oldest_pending_seconds',
        help: 'Age of the oldest undelivered notice delivery (0 when none is pending)',
        registers,
        async collect() {
          const counts = await read();
          this.set(counts.oldestPendingCreatedAt === undefined ? 0 : Math.max(0, (now() - counts.oldestPendingCreatedAt) / 1000));
        },
      });
    }
  }

  /** Times `work` as an answer to `question`; the outcome is ok or the error's stable code. */
  async timeAnswer<T>(question: string, work: () => Promise<T>): Promise<T> {
    const stop = this.answers.startTimer({ question });
    try {
      const result = await work();
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      stop({ outcome: typeof code === 'string' && /^[A-Za-z]{1,64}$/.test(code) ? code : 'error' });
      throw error;
    }
  }
}

export interface MetricsRouteOptions {
  metrics: Metrics;
  /** METRICS_TOKEN: the scraper sends `Authorization: Bearer <token>`. */
  token?: string;
  /** Without a token, /metrics answers only when the bot listens on a loopback address. */
  host?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics, protected by METRICS_TOKEN, or else by the bind address: with neither it answers
 * 404, so metrics are never served on a public address by accident.
 */
export function metricsRoute(options: MetricsRouteOptions): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      if (options.token === undefined && !(options.host !== undefined && LOOPBACK.test(options.host))) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Set METRICS_TOKEN (or listen on a loopback HOST) to serve /metrics\n');
        return;
      }
      if (options.token !== undefined) {
        const header = req.headers.authorization ?? '';
        const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
        if (!sameSecret(given, options.token)) {
          res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
          res.end('Unauthorized\n');
          return;
        }
      }
      try {
        const body = await options.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
        res.end(body);
      } catch {
        // A collector failed (the store is down): say so rather than serve partial numbers as whole.
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('Metrics unavailable: the store did not answer\n');
      }
    },
  };
}
