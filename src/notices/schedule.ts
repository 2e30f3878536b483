// When things happen to a notice. Dates are UTC calendar days: an effective date starts at 00:00
// UTC, a 7-day reminder goes out at 00:00 UTC seven days before. Pure functions over the clock's
// time, so the scheduler can be tested by moving a clock.
import { DAY_MS } from './clock.js';
import type { Notice } from './model.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** How far ahead a change may be announced. */
export const MAX_DAYS_AHEAD = 3 * 366;

export function startOfDayUtc(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError('not a YYYY-MM-DD date');
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD effective date that exists, is not before today (UTC) and not absurdly far. */
export function checkEffectiveDate(text: string, now: number): 'ok' | 'date_invalid' | 'date_past' | 'date_too_far' {
  const match = DATE.exec(text);
  if (!match) return 'date_invalid';
  const start = startOfDayUtc(text);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  if (utcDate(start) !== text) return 'date_invalid';
  const today = startOfDayUtc(utcDate(now));
  if (start < today) return 'date_past';
  if (start > today + MAX_DAYS_AHEAD * DAY_MS) return 'date_too_far';
  return 'ok';
}

/**
 * The final report goes to the announcer on the effective date — but never sooner than a day
 * after the notice, so owners of a change effective today (or already made, as the watcher finds
 * them) get a day to acknowledge before the report.
 */
export function finalReportAt(effectiveDate: string, createdAt: number): number {
  return Math.max(startOfDayUtc(effectiveDate), createdAt + DAY_MS);
}

/** Calendar days (UTC) from `now` to the effective date: 1 the day before, 0 on the day, negative after. */
export function daysUntil(effectiveDate: string, now: number): number {
  return Math.round((startOfDayUtc(effectiveDate) - startOfDayUtc(utcDate(now))) / DAY_MS);
}

export function reminderAt(effectiveDate: string, days: number): number {
  return startOfDayUtc(effectiveDate) - days * DAY_MS;
}

/**
 * An acknowledgement made on or after the effective date (00:00 UTC of that day): accepted, and
 * shown as late. Against the date the notice has now, if it was moved.
 */
export function isLate(notice: Pick<Notice, 'effectiveDate'>, ackAt: number): boolean {
  return ackAt >= startOfDayUtc(notice.effectiveDate);
}

/**
 * A reminder milestone's name: "reminder:7" for the notice's first date, "reminder:7@2" after its
 * date was moved twice — each date has reminders of its own, once each.
 */
export function reminderMilestone(days: number, revision: number): string {
  return revision > 0 ? `reminder:${days}@${revision}` : `reminder:${days}`;
}

/**
 * The write-back milestone of a notice's date (NOTICE_WRITE_BACK): "write_back", or "write_back@2"
 * after the date was moved twice, so a moved date is marked on its own day and never on the old one.
 */
export function writeBackMilestone(revision: number): string {
  return revision > 0 ? `write_back@${revision}` : 'write_back';
}

export type Milestone =
  | { name: string; type: 'reminder'; days: number; last: boolean }
  /** The deprecated group is marked in SageMaker, on the effective date (write-back.ts). */
  | { name: string; type: 'write_back' }
  | { name: 'final'; type: 'final' };

export interface DueMilestone {
  milestone: Milestone;
  /** `skip`: due, but sending it would be pointless (a later reminder or the report supersedes it). */
  action: 'send' | 'skip';
}

/**
 * Milestones of a notice that are due at `now` and not done yet, in order. With `writeBack`, a
 * deprecation's date (00:00 UTC) also marks the group in SageMaker — before the final report,
 * which closes the notice.
 */
export function dueMilestones(
  notice: Pick<Notice, 'effectiveDate' | 'reminderDays' | 'createdAt' | 'finalReportAt' | 'revision' | 'moved'> & Partial<Pick<Notice, 'kind'>>,
  done: ReadonlySet<string>,
  now: number,
  { writeBack = false }: { writeBack?: boolean } = {},
): DueMilestone[] {
  const due: DueMilestone[] = [];
  const days = [...notice.reminderDays].sort((a, b) => b - a);
  // Owners were told of the date when it was announced, or when it was last moved.
  const toldAt = notice.moved?.at ?? notice.createdAt;
  days.forEach((day, index) => {
    const name = reminderMilestone(day, notice.revision);
    const at = reminderAt(notice.effectiveDate, day);
    if (done.has(name) || now < at) return;
    const next = days[index + 1];
    const superseded =
      // It would land right after the notice itself (announced less than `day` days ahead).
      at <= toldAt ||
      // The bot was down past the next reminder or the report: only the latest one goes out.
      (next !== undefined && now >= reminderAt(notice.effectiveDate, next)) ||
      now >= notice.finalReportAt;
    due.push({ milestone: { name, type: 'reminder', days: day, last: index === days.length - 1 }, action: superseded ? 'skip' : 'send' });
  });
  const writeBackName = writeBackMilestone(notice.revision);
  if (writeBack && notice.kind === 'deprecation' && !done.has(writeBackName) && now >= startOfDayUtc(notice.effectiveDate)) {
    due.push({ milestone: { name: writeBackName, type: 'write_back' }, action: 'send' });
  }
  if (!done.has('final') && now >= notice.finalReportAt) due.push({ milestone: { name: 'final', type: 'final' }, action: 'send' });
  return due;
}
