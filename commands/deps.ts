// What listeners receive from the composition root (src/app.ts): the lineage listeners' and the notice listeners'.
import type { Logger } from '@slack/logger';
import type { CacheStats } from '../src/lineage/cache.js';
import type { ProposalSet } from '../src/record/index.js';
import type { LinkKey, RecordLinkOutcome } from '../src/record/link-recorder.js';
import type { LineageService } from '../src/lineage/service.js';
import type { ThreadContext, ThreadRef as ThreadKey } from '../src/store/types.js';
import type { Clock } from '../src/notices/clock.js';
import type { NoticeService } from '../src/notices/service.js';
import type { PictureService } from '../src/picture/pictures.js';

/** Which thread, and what a thread of the bot's answers is about: as the store keeps them. */
export type { ThreadContext, ThreadKey };

/** The bot's memory of conversations, kept in its own store (not read back from Slack history). */
export interface ConversationMemory {
  /** True only the first time an id is seen: Slack retries and duplicates do nothing twice. */
  markEventProcessed(id: string, source: string): Promise<boolean>;
  saveThreadContext(key: ThreadKey, context: ThreadContext): Promise<void>;
  getThreadContext(key: ThreadKey): Promise<ThreadContext | undefined>;
  /** What the bot's latest answers in a channel were about, newest first. */
  recentThreadContexts(channel: string, limit: number): Promise<ThreadContext[]>;
}

/** The lineage cache as listeners see it: refresh one entity, read the counters. */
export interface CacheControl {
  /** Drops what the cache holds about one entity; returns the keys dropped. */
  drop(ref: string): string[];
  /** The keys held now. */
  keys(): Set<string>;
  stats(): CacheStats;
}

/** Proposes missing feature group links for a model or training job (SageMaker source only: it reads training jobs). */
export interface LinkFinder {
  propose(modelOrTrainingJob: string): Promise<ProposalSet>;
}

/**
 * Records one proposed link for a Slack user ("Record this link"): the feature group's owners and
 * the lineage admins only; idempotent, audited, and the cached answers it changes are dropped.
 */
export interface LinkRecording {
  record(key: LinkKey, userId: string): Promise<RecordLinkOutcome>;
}

export interface ListenerDeps {
  service: LineageService;
  cache: CacheControl;
  /** Absent unless the lineage source is SageMaker. */
  linkFinder?: LinkFinder;
  /** Absent unless there is a link finder and a Slack workspace (owners are Slack users). */
  linkRecorder?: LinkRecording;
  /** Change and deprecation notices; absent in console mode (owners are Slack users). */
  notices?: NoticeListenerDeps;
  logger: Logger;
  memory: ConversationMemory;
  /** Lineage and blast-radius pictures (the console writes them to files). */
  pictures: Pick<PictureService, 'lineage' | 'impact'>;
  /** An answer slower than this first shows a short "looking…" message that the answer replaces. */
  lookingAfterMs: number;
  /** The context line every message carries while the data is the embedded demo (blocks/source-note.ts). */
  sourceNote?: string;
}

export interface NoticeListenerDeps {
  notices: NoticeService;
  /** For "Show lineage": the consumers answer of the feature group. */
  service: LineageService;
  logger: Logger;
  /** For the modal's default date; defaults to the system clock. */
  clock?: Clock;
  /** The context line every message carries while the data is the embedded demo (blocks/source-note.ts). */
  sourceNote?: string;
  /**
   * How long a submitted form's checks may take before the submission is answered (Slack waits
   * 3 s for it, and storing the announcement comes after the checks). Default 2000 ms.
   */
  checkBudgetMs?: number;
}
