// What the notice listeners receive from the composition root.
import type { Logger } from '@slack/bolt';
import type { Clock } from '../../src/notices/clock.js';
import type { NoticeService } from '../../src/notices/service.js';
import type { LineageService } from '../../src/lineage/service.js';

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
