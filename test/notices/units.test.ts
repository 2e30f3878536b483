// The pure parts of notices: schedules, breaking-change detection, EventBridge parsing, and what
// each Slack failure means for a delivery.
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { parseAwsEvent } from '../../src/notices/aws-events.js';
import { breakingChange, snapshotOf } from '../../src/notices/definitions.js';
import { checkEffectiveDate, dueMilestones, finalReportAt } from '../../src/notices/schedule.js';
import { classifySlackError } from '../../src/notices/slack/index.js';
import type { FeatureGroupResource } from '../../src/lineage/lineage-source.js';

const at = (iso: string) => Date.parse(iso);

describe('effective dates', () => {
  const now = at('2026-01-05T23:30:00Z');
  it('accepts today and later, within three years', () => {
    expect(checkEffectiveDate('2026-01-05', now)).toBe('ok');
    expect(checkEffectiveDate('2028-12-31', now)).toBe('ok');
  });
  it('rejects the past, impossible dates, other formats and the far future', () => {
    expect(checkEffectiveDate('2026-01-04', now)).toBe('date_past');
    expect(checkEffectiveDate('2026-02-29', now)).toBe('date_invalid');
    expect(checkEffectiveDate('2026-13-01', now)).toBe('date_invalid');
    expect(checkEffectiveDate('05/02/2026', now)).toBe('date_invalid');
    expect(checkEffectiveDate('', now)).toBe('date_invalid');
    expect(checkEffectiveDate('2030-01-01', now)).toBe('date_too_far');
  });
  it('reports on the date, but never sooner than a day after the notice', () => {
    expect(finalReportAt('2026-02-01', at('2026-01-05T09:00:00Z'))).toBe(at('2026-02-01T00:00:00Z'));
    expect(finalReportAt('2026-01-05', at('2026-01-05T09:00:00Z'))).toBe(at('2026-01-06T09:00:00Z'));
  });
});

describe('dueMilestones', () => {
  const notice = { effectiveDate: '2026-02-01', reminderDays: [7, 1], createdAt: at('2026-01-05T09:00:00Z'), finalReportAt: at('2026-02-01T00:00:00Z'), revision: 0 };
  const due = (now: string, done: string[] = []) => dueMilestones(notice, new Set(done), at(now)).map((d) => `${d.milestone.name}:${d.action}`);

  it('is nothing before the first reminder', () => {
    expect(due('2026-01-24T23:59:59Z')).toEqual([]);
  });
  it('reminds 7 and 1 days before, then reports, each once', () => {
    expect(due('2026-01-25T00:00:00Z')).toEqual(['reminder:7:send']);
    expect(due('2026-01-26T00:00:00Z', ['reminder:7'])).toEqual([]);
    expect(due('2026-01-31T00:00:00Z', ['reminder:7'])).toEqual(['reminder:1:send']);
    expect(due('2026-02-01T00:00:00Z', ['reminder:7', 'reminder:1'])).toEqual(['final:send']);
    expect(due('2026-02-09T00:00:00Z', ['reminder:7', 'reminder:1', 'final'])).toEqual([]);
  });
  it('after downtime sends only the latest of what is due', () => {
    expect(due('2026-01-31T12:00:00Z')).toEqual(['reminder:7:skip', 'reminder:1:send']);
    expect(due('2026-02-03T00:00:00Z')).toEqual(['reminder:7:skip', 'reminder:1:skip', 'final:send']);
  });
  it('skips reminders that would land right after the notice itself', () => {
    const late = { ...notice, createdAt: at('2026-01-28T10:00:00Z') };
    expect(dueMilestones(late, new Set(), at('2026-01-28T10:00:00Z')).map((d) => `${d.milestone.name}:${d.action}`)).toEqual(['reminder:7:skip']);
    expect(dueMilestones(late, new Set(['reminder:7']), at('2026-01-31T00:00:00Z')).map((d) => `${d.milestone.name}:${d.action}`)).toEqual(['reminder:1:send']);
  });
  it('gives a moved date reminders of its own, counted from the move', () => {
    const moved = { ...notice, effectiveDate: '2026-02-10', finalReportAt: at('2026-02-10T00:00:00Z'), revision: 1, moved: { from: '2026-02-01', at: at('2026-02-05T12:00:00Z'), by: 'UPRIYA' } };
    const done = new Set(['reminder:7', 'reminder:1']);
    // The 7-day reminder of the new date would land right after the move's own message: skipped.
    expect(dueMilestones(moved, done, at('2026-02-05T12:00:00Z')).map((d) => `${d.milestone.name}:${d.action}`)).toEqual(['reminder:7@1:skip']);
    const last = dueMilestones(moved, new Set([...done, 'reminder:7@1']), at('2026-02-09T00:00:00Z'));
    expect(last.map((d) => `${d.milestone.name}:${d.action}`)).toEqual(['reminder:1@1:send']);
    expect(last[0]?.milestone).toMatchObject({ type: 'reminder', days: 1, last: true });
  });
});

describe('breaking changes', () => {
  const group = (features: [string, 'Integral' | 'Fractional' | 'String'][], status = 'Created'): FeatureGroupResource => ({
    arn: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/g',
    name: 'g',
    recordIdentifierFeatureName: 'id',
    eventTimeFeatureName: 't',
    features: features.map(([name, type]) => ({ name, type })),
    status,
  });
  const base = snapshotOf('g', group([['id', 'String'], ['age', 'Integral'], ['t', 'Fractional']]), undefined, 1);

  it('takes the first sight as the baseline', () => {
    expect(breakingChange(undefined, base)).toBeUndefined();
  });
  it('ignores additions, order and status moves that are not deletion', () => {
    const added = snapshotOf('g', group([['t', 'Fractional'], ['age', 'Integral'], ['id', 'String'], ['new', 'String']]), base, 2);
    expect(breakingChange(base, added)).toBeUndefined();
    expect(snapshotOf('g', group([['age', 'Integral'], ['id', 'String'], ['t', 'Fractional']], 'Creating'), base, 3).hash).toBe(base.hash);
  });
  it('reports removed and retyped features', () => {
    const changed = snapshotOf('g', group([['id', 'String'], ['age', 'String']]), base, 2);
    expect(breakingChange(base, changed)).toEqual({ removed: ['t'], retyped: [{ name: 'age', from: 'Integral', to: 'String' }], deleted: false });
  });
  it('reports a group deleting or deleted, once', () => {
    const deleting = snapshotOf('g', group([['id', 'String']], 'Deleting'), base, 2);
    expect(breakingChange(base, deleting)).toEqual({ removed: [], retyped: [], deleted: true });
    const gone = snapshotOf('g', undefined, deleting, 3);
    expect(gone).toMatchObject({ deleted: true, arn: base.arn });
    expect(breakingChange(deleting, gone)).toBeUndefined();
  });
});

describe('parseAwsEvent', () => {
  it('reads the feature group from state changes (detail or resources) and CloudTrail calls', () => {
    expect(parseAwsEvent({ id: 'a', 'detail-type': 'SageMaker Feature Group State Change', detail: { FeatureGroupName: 'customers' } })).toEqual({
      kind: 'feature_group',
      id: 'a',
      featureGroup: 'customers',
      cause: 'SageMaker Feature Group State Change',
    });
    expect(
      parseAwsEvent({ id: 'b', 'detail-type': 'SageMaker Feature Group State Change', resources: ['arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims'], detail: {} }),
    ).toMatchObject({ featureGroup: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims' });
    for (const name of ['UpdateFeatureGroup', 'DeleteFeatureGroup', 'UpdateFeatureMetadata']) {
      expect(parseAwsEvent({ id: name, 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: name, requestParameters: { featureGroupName: 'customers' } } })).toMatchObject({
        kind: 'feature_group',
        featureGroup: 'customers',
        cause: name,
      });
    }
  });
  it('ignores other events and failed calls, and rejects malformed ones', () => {
    expect(parseAwsEvent({ id: 'c', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'CreateFeatureGroup' } })).toMatchObject({ kind: 'ignored' });
    expect(parseAwsEvent({ id: 'd', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'DeleteFeatureGroup', errorCode: 'ValidationException', requestParameters: { featureGroupName: 'x' } } })).toMatchObject({ kind: 'ignored' });
    expect(parseAwsEvent({ 'detail-type': 'x' })).toMatchObject({ kind: 'invalid' });
    expect(parseAwsEvent({ id: 'e', 'detail-type': 'SageMaker Feature Group State Change', detail: { FeatureGroupName: 'a b' } })).toMatchObject({ kind: 'invalid' });
    expect(parseAwsEvent({ id: 'f', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'UpdateFeatureGroup', requestParameters: null } })).toMatchObject({ kind: 'invalid' });
  });
});

describe('classifySlackError', () => {
  it('waits out rate limits, retries 5xx and network errors as in doubt, gives up on what cannot get better', () => {
    expect(classifySlackError(new webApi.WebAPIRateLimitedError(12))).toEqual({ type: 'rate_limited', retryAfterMs: 12_000, error: 'ratelimited' });
    expect(classifySlackError(new webApi.WebAPIHTTPError(502, 'Bad Gateway', {}, ''))).toEqual({ type: 'transient', inDoubt: true, error: 'http_502' });
    expect(classifySlackError(new webApi.WebAPIRequestError(new Error('ECONNRESET')))).toEqual({ type: 'transient', inDoubt: true, error: 'request_failed' });
    const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error } as never);
    expect(classifySlackError(platform('channel_not_found'))).toEqual({ type: 'permanent', error: 'channel_not_found' });
    expect(classifySlackError(platform('is_archived'))).toEqual({ type: 'permanent', error: 'is_archived' });
    expect(classifySlackError(platform('user_not_found'))).toEqual({ type: 'permanent', error: 'user_not_found' });
    expect(classifySlackError(platform('internal_error'))).toEqual({ type: 'transient', inDoubt: true, error: 'internal_error' });
    expect(classifySlackError(platform('token_revoked'))).toEqual({ type: 'transient', inDoubt: false, error: 'token_revoked' });
    expect(classifySlackError(new webApi.WebAPIHTTPError(404, 'Not Found', {}, ''))).toEqual({ type: 'permanent', error: 'http_404' });
  });
});
