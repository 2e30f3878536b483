// What listeners receive from the composition root (src/app.ts).
import type { Logger } from '@slack/logger';
import type { CacheStats } from '../src/lineage/cache.js';
import type { ProposalSet } from '../src/record/index.js';
import type { NoticeListenerDeps } from './notices/index.js';
import type { LineageService } from '../src/lineage/service.js';

export interface ThreadKey {
  channel: string;
  threadTs: string;
}

/** What a thread of the bot's answers is about, so follow-ups need not repeat it. */
export interface ThreadContext {
  question: string;
  input: string;
  kind: string;
  name: string;
}

/** The bot's memory of conversations, kept in its own store (not read back from Slack history). */
export interface ConversationMemory {
  /** True only the first time an id is seen: Slack retries and duplicates do nothing twice. */
  markEventProcessed(id: string, source: string): Promise<boolean>;
  saveThreadContext(key: ThreadKey, context: ThreadContext): Promise<void>;
  getThreadContext(key: ThreadKey): Promise<ThreadContext | undefined>;
}

/** The lineage cache as listeners see it: refresh one entity, read the counters. */
export interface CacheControl {
  invalidate(ref: string): number;
  stats(): CacheStats;
}

/** Proposes missing feature group links for a model or training job (SageMaker source only: it reads training jobs). */
export interface LinkFinder {
  propose(modelOrTrainingJob: string): Promise<ProposalSet>;
}

export interface ListenerDeps {
  service: LineageService;
  cache: CacheControl;
  /** Absent unless the lineage source is SageMaker. */
  linkFinder?: LinkFinder;
  /** Change and deprecation notices; absent in console mode (owners are Slack users). */
  notices?: NoticeListenerDeps;
  logger: Logger;
  memory: ConversationMemory;
  /** An answer slower than this first shows a short "looking…" message that the answer replaces. */
  lookingAfterMs: number;
}
