// The durable state of the bot: SQLite (one file, the embedded default) or PostgreSQL (several
// replicas). A Store is made of aggregates, and each consumer depends on the one it uses: the
// notices' own port (src/notices/ports.ts), the bot's memory of conversations, the ids of events
// already handled.
import type { NoticeStore } from '../notices/ports.js';

export interface ThreadRef {
  channel: string;
  threadTs: string;
}

export interface ThreadContext {
  question: string;
  input: string;
  kind: string;
  name: string;
}

/** Conversation memory: which entity each thread of the bot's answers is about. */
export interface ThreadMemory {
  saveThreadContext(ref: ThreadRef, context: ThreadContext): Promise<void>;
  getThreadContext(ref: ThreadRef): Promise<ThreadContext | undefined>;
  /** What the bot's latest answers in a channel were about, newest first (the assistant pane's prompts). */
  recentThreadContexts(channel: string, limit: number): Promise<ThreadContext[]>;
}

/** Events already handled, so that a retry or a duplicate does nothing twice. */
export interface ProcessedEvents {
  /** True only the first time an id is seen from a source (Slack retries, EventBridge duplicates). Old ids are pruned. */
  markEventProcessed(id: string, source: string): Promise<boolean>;
  /** Forgets an id so a retry is processed again (its first processing failed). */
  forgetEvent(id: string, source: string): Promise<void>;
}

export interface Store extends NoticeStore, ThreadMemory, ProcessedEvents {
  readonly kind: 'sqlite' | 'postgres';
  /** Resolves when the store answers a trivial query; rejects when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Clock for event retention and thread contexts (the rest takes times as arguments). */
  now?: () => number;
  /** How long processed event ids are kept. Default 7 days (EventBridge retries for up to 24 h). */
  eventRetentionMs?: number;
  /** PostgreSQL schema to use (created if missing); default "public". Tests use one per run. */
  schema?: string;
  /** PostgreSQL application_name of the bot's connections (shown in pg_stat_activity); default "lineage-bot". */
  applicationName?: string;
  /** Where the store reports trouble it recovers from by itself (a PostgreSQL connection dropped). */
  onWarning?: (message: string) => void;
}
