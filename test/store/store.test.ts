// One suite, run against every Store implementation: SQLite always, PostgreSQL whenever
// TEST_POSTGRES_URL is set (each run in a schema of its own, dropped afterwards).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations.js';
import type { AcceptedNotice, NewNotice, NewRecipient } from '../../src/notices/model.js';
import { NoticeAlreadyOpen, openStore, type Store } from '../../src/store/index.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function notice(overrides: Partial<NewNotice> = {}): NewNotice {
  return {
    sourceKey: `view:${randomUUID()}`,
    featureGroup: 'customers',
    featureGroupArn: 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers',
    kind: 'deprecation',
    effectiveDate: '2026-02-01',
    replacement: 'customers-v2',
    note: 'Moving to v2',
    announcer: { type: 'user', userId: 'UANNOUNCER' },
    summaryTarget: 'CANNOUNCE',
    reportTo: 'UANNOUNCER',
    unreachable: [{ value: 'ben@example.com', reason: 'user_not_found', resources: [{ kind: 'Model', name: 'claims-triage' }] }],
    reminderDays: [7, 1],
    finalReportAt: Date.UTC(2026, 1, 1),
    ...overrides,
  };
}

const recipients: NewRecipient[] = [
  {
    key: 'channel:CFRAUD',
    type: 'channel',
    targetId: 'CFRAUD',
    label: '#fraud-ml',
    owners: ['#fraud-ml'],
    resources: [{ kind: 'Model', name: 'fraud-detector' }, { kind: 'Endpoint', name: 'fraud-detector-prod', status: 'InService' }],
  },
  {
    key: 'user:UCHURN',
    type: 'user',
    targetId: 'UCHURN',
    label: 'Chen Churn',
    owners: ['UCHURN'],
    resources: [{ kind: 'Model', name: 'churn-predictor' }],
  },
];

const audit = { at: T0, actor: 'UANNOUNCER', action: 'notice.created', detail: { featureGroup: 'customers' } };

/** A person's announcement as the form hands it over, before its impact is known. */
function accepted(overrides: Partial<AcceptedNotice> = {}): AcceptedNotice {
  const { unreachable: _unknownYet, ...rest } = notice();
  return { ...rest, ...overrides };
}

function storeSuite(open: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  describe('notices', () => {
    it('creates a notice with its recipients, summary and notice deliveries, and an audit entry', async () => {
      const { notice: created, created: isNew } = await store.createNotice(notice(), recipients, audit, T0);
      expect(isNew).toBe(true);
      expect(created).toMatchObject({ featureGroup: 'customers', kind: 'deprecation', createdAt: T0, summaryVersion: 0, summaryRendered: 0 });
      expect(created.closedAt).toBeUndefined();
      expect(await store.getNotice(created.id)).toEqual(created);
      expect(await store.listRecipients(created.id)).toEqual(recipients.map((r) => ({ ...r, noticeId: created.id })));
      const deliveries = await store.listDeliveries(created.id);
      expect(deliveries.map((d) => [d.kind, d.recipientKey, d.target, d.status])).toEqual([
        ['summary', '', 'CANNOUNCE', 'pending'],
        ['notice', 'channel:CFRAUD', 'CFRAUD', 'pending'],
        ['notice', 'user:UCHURN', 'UCHURN', 'pending'],
      ]);
      expect(await store.listAudit(created.id)).toEqual([{ ...audit, noticeId: created.id }]);
      expect((await store.listOpenNotices()).map((n) => n.id)).toEqual([created.id]);
    });

    it('creates nothing twice for the same source key', async () => {
      const input = notice();
      const first = await store.createNotice(input, recipients, audit, T0);
      const second = await store.createNotice({ ...input, note: 'other' }, recipients, audit, T0 + 1);
      expect(second).toEqual({ notice: first.notice, created: false });
      expect(await store.listDeliveries(first.notice.id)).toHaveLength(3);
      expect(await store.listAudit()).toHaveLength(1);
    });

    it('keeps a notice without summary target or optional fields', async () => {
      const { notice: created } = await store.createNotice(
        notice({ summaryTarget: undefined, replacement: undefined, note: undefined, reportTo: undefined, announcer: { type: 'watcher' }, change: { removed: ['age'], retyped: [], deleted: false } }),
        [],
        { ...audit, actor: 'watcher' },
        T0,
      );
      expect(created.announcer).toEqual({ type: 'watcher' });
      expect(created.change).toEqual({ removed: ['age'], retyped: [], deleted: false });
      expect('replacement' in created).toBe(false);
      expect(await store.listDeliveries(created.id)).toEqual([]);
    });

    it('keeps where the lineage walk behind a notice stopped, and which resources are affected through a derived group', async () => {
      const lineageCut = { depthExceeded: false, sizeExceeded: true, maxDepth: 30, maxVertices: 10 };
      const through: NewRecipient[] = [
        { ...(recipients[0] as NewRecipient), resources: [{ kind: 'Model', name: 'claims-severity', through: ['claims-enriched'] }] },
      ];
      const { notice: created } = await store.createNotice(notice({ lineageCut }), through, audit, T0);
      expect((await store.getNotice(created.id))?.lineageCut).toEqual(lineageCut);
      expect((await store.listRecipients(created.id))[0]?.resources).toEqual([{ kind: 'Model', name: 'claims-severity', through: ['claims-enriched'] }]);
      // Another kind: one open notice per kind and feature group.
      const { notice: whole } = await store.createNotice(notice({ kind: 'data_change' }), recipients, audit, T0);
      expect('lineageCut' in ((await store.getNotice(whole.id)) ?? {})).toBe(false);
    });

    it('keeps which features a feature-level notice is about, and what its resources use of them', async () => {
      const features = { names: ['region', 'num_policies'], change: 'removal' as const };
      const marked: NewRecipient[] = [
        {
          ...(recipients[0] as NewRecipient),
          resources: [
            { kind: 'Model', name: 'churn-predictor', features: ['region'] },
            { kind: 'Model', name: 'claims-severity', through: ['claims-enriched'], mayBeAffected: true },
          ],
        },
      ];
      const { notice: created } = await store.createNotice(notice({ features }), marked, audit, T0);
      expect((await store.getNotice(created.id))?.features).toEqual(features);
      expect((await store.listRecipients(created.id))[0]?.resources).toEqual(marked[0]!.resources);
      const { notice: stored } = await store.acceptNotice(accepted({ kind: 'data_change', features }), audit, { worker: 'w1', leaseMs: 60_000 }, T0);
      expect((await store.getNotice(stored.id))?.features).toEqual(features);
      const { notice: whole } = await store.createNotice(notice({ kind: 'breaking_schema_change' }), recipients, audit, T0);
      expect('features' in ((await store.getNotice(whole.id)) ?? {})).toBe(false);
    });

    it('records the first acknowledgement per recipient only, and bumps the summary once', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      const first = await store.acknowledge(created.id, 'user:UCHURN', 'UCHURN', T0 + 10);
      const again = await store.acknowledge(created.id, 'user:UCHURN', 'UOTHER', T0 + 20);
      expect(first).toEqual({ first: true, ack: { noticeId: created.id, recipientKey: 'user:UCHURN', userId: 'UCHURN', at: T0 + 10 } });
      expect(again).toEqual({ first: false, ack: first.ack });
      expect(await store.listAcknowledgements(created.id)).toEqual([first.ack]);
      expect((await store.getNotice(created.id))?.summaryVersion).toBe(1);
    });

    it('closes a notice once', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      await store.closeNotice(created.id, T0 + 5);
      await store.closeNotice(created.id, T0 + 9);
      expect((await store.getNotice(created.id))?.closedAt).toBe(T0 + 5);
      expect(await store.listOpenNotices()).toEqual([]);
    });
  });

  describe('a notice after it is sent: cancelled, moved', () => {
    /** A notice whose summary and Chen's DM went out; the team's post is still pending. */
    async function halfSent() {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      const claimed = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 1000, limit: 5 });
      for (const delivery of claimed.filter((d) => d.kind === 'summary' || d.recipientKey === 'user:UCHURN')) {
        await store.completeDelivery(delivery.id, 'w', { channelId: delivery.kind === 'summary' ? 'CANNOUNCE' : 'DUCHURN', ts: '1.0' }, T0 + 1);
      }
      await store.retryDelivery(claimed.find((d) => d.recipientKey === 'channel:CFRAUD')!.id, 'w', { nextAttemptAt: T0 + 60_000, error: 'http_503', inDoubt: false }, T0 + 1);
      return created;
    }
    const byKind = async (id: string) => (await store.listDeliveries(id)).map((d) => [d.kind, d.recipientKey, d.status, d.target, d.revision]);

    it('cancels once: closed and freed, unsent messages cancelled, the owners who got it told where they got it', async () => {
      const created = await halfSent();
      const cancelled = await store.cancelNotice(created.id, 'UADMIN', { at: T0 + 5, actor: 'UADMIN', action: 'notice.cancelled', detail: {} }, T0 + 5);
      expect(cancelled).toMatchObject({ closedAt: T0 + 5, cancelled: { by: 'UADMIN', at: T0 + 5 } });
      expect(cancelled!.summaryVersion).toBeGreaterThan(created.summaryVersion);
      expect(await byKind(created.id)).toEqual([
        ['summary', '', 'sent', 'CANNOUNCE', 0],
        ['notice', 'channel:CFRAUD', 'cancelled', 'CFRAUD', 0],
        ['notice', 'user:UCHURN', 'sent', 'UCHURN', 0],
        ['cancelled', 'user:UCHURN', 'pending', 'DUCHURN', 0],
      ]);
      expect(await store.cancelNotice(created.id, 'UADMIN', audit, T0 + 6)).toBeUndefined();
      expect((await store.listAudit(created.id)).map((a) => a.action)).toEqual(['notice.created', 'notice.cancelled']);
      // The kind is free to be announced again.
      expect((await store.createNotice(notice(), recipients, audit, T0 + 7)).created).toBe(true);
    });

    it('moves the date from the revision it was read at only, giving the new date reminders of its own', async () => {
      const created = await halfSent();
      const reminder = (revision: number) => [{ kind: 'reminder' as const, recipientKey: 'user:UCHURN', days: 7, revision, target: 'DUCHURN' }];
      await store.completeMilestone(created.id, 'reminder:7', reminder(0), T0 + 2);
      const move = { fromRevision: 0, effectiveDate: '2026-03-01', finalReportAt: Date.UTC(2026, 2, 1), by: 'UANNOUNCER' };
      const moved = await store.moveNotice(created.id, move, { at: T0 + 3, actor: 'UANNOUNCER', action: 'notice.moved', detail: {} }, T0 + 3);
      expect(moved).toMatchObject({ effectiveDate: '2026-03-01', finalReportAt: Date.UTC(2026, 2, 1), revision: 1, moved: { from: '2026-02-01', at: T0 + 3, by: 'UANNOUNCER' } });
      expect(moved!.closedAt).toBeUndefined();
      // A second move read before the first: nothing changes.
      expect(await store.moveNotice(created.id, { ...move, effectiveDate: '2026-04-01' }, audit, T0 + 4)).toBeUndefined();
      expect((await store.getNotice(created.id))?.effectiveDate).toBe('2026-03-01');
      expect(await store.completeMilestone(created.id, 'reminder:7@1', reminder(1), T0 + 5)).toBe(true);
      expect(await byKind(created.id)).toEqual([
        ['summary', '', 'sent', 'CANNOUNCE', 0],
        ['notice', 'channel:CFRAUD', 'pending', 'CFRAUD', 0], // goes out with the new date
        ['notice', 'user:UCHURN', 'sent', 'UCHURN', 0],
        ['reminder', 'user:UCHURN', 'cancelled', 'DUCHURN', 0],
        ['moved', 'user:UCHURN', 'pending', 'DUCHURN', 1],
        ['reminder', 'user:UCHURN', 'pending', 'DUCHURN', 1],
      ]);
      const counts = await store.deliveryCounts();
      expect(counts.byStatus).toEqual({ pending: 3, sent: 2, failed: 0, cancelled: 1 });
    });

    it('does not move or cancel a closed notice', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      await store.closeNotice(created.id, T0 + 1);
      expect(await store.moveNotice(created.id, { fromRevision: 0, effectiveDate: '2026-03-01', finalReportAt: 0, by: 'U1' }, audit, T0 + 2)).toBeUndefined();
      expect(await store.cancelNotice(created.id, 'U1', audit, T0 + 2)).toBeUndefined();
      expect((await store.getNotice(created.id))?.cancelled).toBeUndefined();
    });
  });

  describe('one open notice per kind and group (a uniqueness rule, not a check)', () => {
    it('lets only one of two announcements submitted at the same instant in, and names the one that is open', async () => {
      const results = await Promise.allSettled([
        store.acceptNotice(accepted(), audit, { worker: 'w1', leaseMs: 30_000 }, T0),
        store.acceptNotice(accepted({ effectiveDate: '2026-03-01' }), audit, { worker: 'w2', leaseMs: 30_000 }, T0),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(NoticeAlreadyOpen);
      expect((lost[0]!.reason as NoticeAlreadyOpen).existing.id).toBe((won[0] as PromiseFulfilledResult<{ notice: { id: string } }>).value.notice.id);
      expect(await store.listOpenNotices()).toHaveLength(1);
    });

    it('holds for createNotice too, frees the kind when the notice closes, and leaves the watcher and other kinds alone', async () => {
      const first = await store.createNotice(notice(), recipients, audit, T0);
      await expect(store.createNotice(notice(), recipients, audit, T0)).rejects.toBeInstanceOf(NoticeAlreadyOpen);
      await expect(store.acceptNotice(accepted(), audit, { worker: 'w', leaseMs: 1000 }, T0)).rejects.toMatchObject({ existing: { id: first.notice.id } });
      // Same group, another kind; and the watcher may report several changes of one kind.
      await store.acceptNotice(accepted({ kind: 'data_change' }), audit, { worker: 'w', leaseMs: 1000 }, T0);
      await store.createNotice(notice({ announcer: { type: 'watcher' }, kind: 'deprecation' }), [], audit, T0);
      await store.createNotice(notice({ announcer: { type: 'watcher' }, kind: 'deprecation' }), [], audit, T0);
      await store.closeNotice(first.notice.id, T0 + 1);
      expect((await store.acceptNotice(accepted(), audit, { worker: 'w', leaseMs: 1000 }, T0 + 2)).created).toBe(true);
    });
  });

  describe('accepted announcements', () => {
    it('stores the announcement before its impact is known, claimed by the worker that accepted it', async () => {
      const input = accepted();
      const { notice: stored, created } = await store.acceptNotice(input, audit, { worker: 'w1', leaseMs: 30_000 }, T0);
      expect(created).toBe(true);
      expect(stored).toMatchObject({ featureGroup: 'customers', kind: 'deprecation', unreachable: [], createdAt: T0 });
      expect(stored.preparedAt).toBeUndefined();
      expect(await store.listDeliveries(stored.id)).toEqual([]);
      expect(await store.listAudit(stored.id)).toEqual([{ ...audit, noticeId: stored.id }]);
      // The same submission again: nothing new.
      expect(await store.acceptNotice(input, audit, { worker: 'w2', leaseMs: 30_000 }, T0 + 1)).toEqual({ notice: stored, created: false });
      // Claimed by w1 until its lease runs out; then another worker may take it.
      expect(await store.claimPreparations({ worker: 'w2', now: T0 + 29_999, leaseMs: 30_000, limit: 10 })).toEqual([]);
      expect(await store.claimPreparations({ worker: 'w2', now: T0 + 30_000, leaseMs: 30_000, limit: 10 })).toEqual([{ noticeId: stored.id, attempts: 0, nextAttemptAt: T0 }]);
    });

    it('fills the notice in once, from the worker holding it: recipients, deliveries, who cannot be reached', async () => {
      const { notice: stored } = await store.acceptNotice(accepted(), audit, { worker: 'w1', leaseMs: 30_000 }, T0);
      const result = { recipients, unreachable: notice().unreachable };
      const prepared = { ...audit, action: 'notice.prepared' };
      expect(await store.completePreparation(stored.id, 'w2', result, prepared, T0 + 5)).toBe(false);
      expect(await store.completePreparation(stored.id, 'w1', result, prepared, T0 + 5)).toBe(true);
      expect(await store.completePreparation(stored.id, 'w1', result, prepared, T0 + 6)).toBe(false);
      const after = await store.getNotice(stored.id);
      expect(after).toMatchObject({ preparedAt: T0 + 5, unreachable: notice().unreachable });
      expect(await store.listRecipients(stored.id)).toHaveLength(2);
      expect((await store.listDeliveries(stored.id)).map((d) => [d.kind, d.recipientKey])).toEqual([
        ['summary', ''],
        ['notice', 'channel:CFRAUD'],
        ['notice', 'user:UCHURN'],
      ]);
      expect((await store.listAudit(stored.id)).map((a) => a.action)).toEqual(['notice.created', 'notice.prepared']);
      expect(await store.claimPreparations({ worker: 'w3', now: T0 + 60_000, leaseMs: 30_000, limit: 10 })).toEqual([]);
    });

    it('keeps where the lineage walk behind a prepared notice stopped, and not for one whose walk was whole', async () => {
      const lineageCut = { depthExceeded: true, sizeExceeded: false, maxDepth: 5, maxVertices: 5000 };
      const prepared = { ...audit, action: 'notice.prepared' };
      const { notice: cut } = await store.acceptNotice(accepted(), audit, { worker: 'w1', leaseMs: 30_000 }, T0);
      expect(await store.completePreparation(cut.id, 'w1', { recipients, unreachable: [], lineageCut }, prepared, T0 + 5)).toBe(true);
      expect((await store.getNotice(cut.id))?.lineageCut).toEqual(lineageCut);
      await store.closeNotice(cut.id, T0 + 6);
      const { notice: whole } = await store.acceptNotice(accepted(), audit, { worker: 'w1', leaseMs: 30_000 }, T0 + 7);
      expect(await store.completePreparation(whole.id, 'w1', { recipients, unreachable: [] }, prepared, T0 + 8)).toBe(true);
      expect('lineageCut' in ((await store.getNotice(whole.id)) ?? {})).toBe(false);
    });

    it('retries a preparation later, counting attempts, and on giving up closes the notice and tells the announcer', async () => {
      const { notice: stored } = await store.acceptNotice(accepted(), audit, { worker: 'w1', leaseMs: 30_000 }, T0);
      expect(await store.retryPreparation(stored.id, 'w1', { nextAttemptAt: T0 + 5000, error: 'DirectoryUnavailable' }, T0 + 1)).toBe(true);
      expect(await store.claimPreparations({ worker: 'w1', now: T0 + 4999, leaseMs: 30_000, limit: 10 })).toEqual([]);
      const [again] = await store.claimPreparations({ worker: 'w1', now: T0 + 5000, leaseMs: 30_000, limit: 10 });
      expect(again).toEqual({ noticeId: stored.id, attempts: 1, nextAttemptAt: T0 + 5000, error: 'DirectoryUnavailable' });
      expect(await store.failPreparation(stored.id, 'w2', 'Slack did not answer.', audit, T0 + 6000)).toBe(false);
      expect(await store.failPreparation(stored.id, 'w1', 'Slack did not answer.', { ...audit, action: 'notice.failed' }, T0 + 6000)).toBe(true);
      const failed = await store.getNotice(stored.id);
      expect(failed).toMatchObject({ closedAt: T0 + 6000, failure: 'Slack did not answer.' });
      expect(failed?.preparedAt).toBeUndefined();
      expect((await store.listDeliveries(stored.id)).map((d) => [d.kind, d.target, d.status])).toEqual([['announce_failed', 'UANNOUNCER', 'pending']]);
      // The kind is free again for a new announcement.
      expect((await store.acceptNotice(accepted(), audit, { worker: 'w1', leaseMs: 1000 }, T0 + 7000)).created).toBe(true);
    });
  });

  describe('milestones', () => {
    it('enqueues a milestone’s deliveries once', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      const reminder = [{ kind: 'reminder' as const, recipientKey: 'user:UCHURN', days: 7, target: 'UCHURN' }];
      expect(await store.completeMilestone(created.id, 'reminder:7', reminder, T0 + 100)).toBe(true);
      expect(await store.completeMilestone(created.id, 'reminder:7', reminder, T0 + 200)).toBe(false);
      expect(await store.completeMilestone(created.id, 'final', [], T0 + 300)).toBe(true);
      expect(await store.listMilestones(created.id)).toEqual(['reminder:7', 'final']);
      expect((await store.listDeliveries(created.id)).filter((d) => d.kind === 'reminder')).toHaveLength(1);
    });
  });

  describe('outbox', () => {
    it('claims due deliveries in order, once per lease', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      const a = await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: 1000, limit: 2 });
      const b = await store.claimDeliveries({ worker: 'w2', now: T0, leaseMs: 1000, limit: 5 });
      expect(a.map((d) => d.kind)).toEqual(['summary', 'notice']);
      expect(b.map((d) => d.recipientKey)).toEqual(['user:UCHURN']);
      expect(await store.claimDeliveries({ worker: 'w3', now: T0 + 999, leaseMs: 1000, limit: 5 })).toEqual([]);
      // A worker that died leaves its claims to expire.
      const reclaimed = await store.claimDeliveries({ worker: 'w3', now: T0 + 1000, leaseMs: 1000, limit: 5 });
      expect(reclaimed).toHaveLength(3);
      expect(await store.beginAttempt(a[0]!.id, 'w1', T0 + 1001)).toBe(false); // w1 lost its claim
      expect(created.id).toBe(reclaimed[0]!.noticeId);
    });

    it('records a sent delivery, its DM channel and the summary message', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      const [summary, fraud, churn] = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 60_000, limit: 10 });
      expect(await store.beginAttempt(summary!.id, 'w', T0 + 1)).toBe(true);
      expect(await store.completeDelivery(summary!.id, 'w', { channelId: 'CANNOUNCE', ts: '1.0001' }, T0 + 2)).toBe(true);
      expect(await store.setDeliveryChannel(churn!.id, 'w', 'DCHURN', T0 + 3)).toBe(true);
      await store.beginAttempt(churn!.id, 'w', T0 + 4);
      expect(await store.completeDelivery(churn!.id, 'w', { channelId: 'DCHURN', ts: '1.0002' }, T0 + 5)).toBe(true);
      expect(await store.completeDelivery(churn!.id, 'w', { channelId: 'DCHURN', ts: '1.0002' }, T0 + 6)).toBe(false);
      const after = await store.getNotice(created.id);
      expect(after).toMatchObject({ summaryChannel: 'CANNOUNCE', summaryTs: '1.0001', summaryVersion: 1 });
      const deliveries = await store.listDeliveries(created.id);
      expect(deliveries.find((d) => d.id === churn!.id)).toMatchObject({ status: 'sent', channelId: 'DCHURN', messageTs: '1.0002', attempts: 1 });
      expect(deliveries.find((d) => d.id === churn!.id)?.attemptStartedAt).toBeUndefined();
      expect(deliveries.find((d) => d.id === fraud!.id)?.status).toBe('pending');
      expect(await store.summariesToRefresh(10)).toEqual([{ noticeId: created.id, version: 1, channel: 'CANNOUNCE', ts: '1.0001' }]);
      await store.markSummaryRendered(created.id, 1);
      expect(await store.summariesToRefresh(10)).toEqual([]);
    });

    it('counts a retry as an attempt when it failed before any post began (countAttempt)', async () => {
      await store.createNotice(notice({ summaryTarget: undefined }), recipients, audit, T0);
      const [first, second] = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 60_000, limit: 10 });
      // No beginAttempt: opening the DM failed. Counted when asked to, so such a delivery runs out of attempts.
      expect(await store.retryDelivery(first!.id, 'w', { nextAttemptAt: T0 + 10, error: 'http_500', inDoubt: false, countAttempt: true }, T0 + 1)).toBe(true);
      expect(await store.retryDelivery(second!.id, 'w', { nextAttemptAt: T0 + 10, error: 'http_500', inDoubt: false }, T0 + 1)).toBe(true);
      const again = await store.claimDeliveries({ worker: 'w', now: T0 + 10, leaseMs: 60_000, limit: 10 });
      expect(again.find((d) => d.id === first!.id)?.attempts).toBe(1);
      expect(again.find((d) => d.id === second!.id)?.attempts).toBe(0);
    });

    it('schedules retries, keeping an in-doubt attempt visible, and records permanent failures', async () => {
      const { notice: created } = await store.createNotice(notice({ summaryTarget: undefined }), recipients, audit, T0);
      const [fraud, churn] = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 60_000, limit: 10 });
      await store.beginAttempt(fraud!.id, 'w', T0 + 1);
      expect(await store.retryDelivery(fraud!.id, 'w', { nextAttemptAt: T0 + 5000, error: 'timeout', inDoubt: true }, T0 + 2)).toBe(true);
      await store.beginAttempt(churn!.id, 'w', T0 + 1);
      expect(await store.retryDelivery(churn!.id, 'w', { nextAttemptAt: T0 + 3000, error: 'ratelimited', inDoubt: false }, T0 + 2)).toBe(true);
      expect(await store.nextPendingAt()).toBe(T0 + 3000);
      expect(await store.claimDeliveries({ worker: 'w', now: T0 + 2999, leaseMs: 60_000, limit: 10 })).toEqual([]);
      const [again] = await store.claimDeliveries({ worker: 'w', now: T0 + 3000, leaseMs: 60_000, limit: 10 });
      expect(again).toMatchObject({ id: churn!.id, attempts: 1, error: 'ratelimited' });
      expect(again?.attemptStartedAt).toBeUndefined();
      const [doubt] = await store.claimDeliveries({ worker: 'w', now: T0 + 5000, leaseMs: 60_000, limit: 10 });
      expect(doubt).toMatchObject({ id: fraud!.id, attemptStartedAt: T0 + 1 });
      expect(await store.failDelivery(doubt!.id, 'w', 'channel_not_found', T0 + 5001)).toBe(true);
      expect((await store.listDeliveries(created.id)).find((d) => d.id === fraud!.id)).toMatchObject({ status: 'failed', error: 'channel_not_found' });
      expect((await store.getNotice(created.id))?.summaryVersion).toBe(1);
      expect(await store.nextPendingAt()).toBe(T0 + 3000 + 60_000);
    });

    it('keeps claims while their holder renews them, and frees a dead holder’s at once', async () => {
      await store.createNotice(notice(), recipients, audit, T0);
      const [summary, fraud, churn] = await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: 1000, limit: 10 });
      const { notice: announced } = await store.acceptNotice(accepted({ kind: 'data_change' }), audit, { worker: 'w1', leaseMs: 1000 }, T0);
      // The heartbeat renews what w1 still works on; the summary it finished is left to expire.
      await store.renewClaims('w1', { deliveries: [fraud!.id, churn!.id], preparations: [announced.id] }, T0 + 5000, T0 + 500);
      expect((await store.claimDeliveries({ worker: 'w2', now: T0 + 2000, leaseMs: 1000, limit: 10 })).map((d) => d.id)).toEqual([summary!.id]);
      expect(await store.claimPreparations({ worker: 'w2', now: T0 + 2000, leaseMs: 1000, limit: 10 })).toEqual([]);
      expect(await store.listClaimHolders(T0 + 2000)).toEqual(['w1', 'w2']);
      // w1 is known to be gone: its claims are free now, not when they expire.
      expect(await store.releaseHolder('w1', T0 + 2001)).toBe(3);
      expect((await store.claimDeliveries({ worker: 'w3', now: T0 + 2002, leaseMs: 1000, limit: 10 })).map((d) => d.id).sort()).toEqual([fraud!.id, churn!.id].sort());
      expect(await store.claimPreparations({ worker: 'w3', now: T0 + 2002, leaseMs: 1000, limit: 10 })).toHaveLength(1);
      expect(await store.listClaimHolders(T0 + 2002)).toEqual(['w2', 'w3']);
      expect(await store.beginAttempt(fraud!.id, 'w1', T0 + 2003)).toBe(false);
    });

    it('marks a delivery that may reach its recipient twice', async () => {
      const { notice: created } = await store.createNotice(notice({ summaryTarget: undefined }), recipients, audit, T0);
      const [fraud] = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 60_000, limit: 1 });
      expect(await store.markMaybeDuplicate(fraud!.id, 'other', T0 + 1)).toBe(false);
      expect(await store.markMaybeDuplicate(fraud!.id, 'w', T0 + 1)).toBe(true);
      const deliveries = await store.listDeliveries(created.id);
      expect(deliveries.find((d) => d.id === fraud!.id)?.maybeDuplicate).toBe(true);
      expect(deliveries.find((d) => d.id !== fraud!.id)?.maybeDuplicate).toBeUndefined();
    });

    it('answers a health check', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('points a delivery at a fallback target', async () => {
      const { notice: created } = await store.createNotice(notice(), [], audit, T0);
      const [summary] = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 60_000, limit: 10 });
      expect(await store.retargetDelivery(summary!.id, 'w', 'UANNOUNCER', 'not_in_channel', T0 + 1)).toBe(true);
      const [moved] = await store.listDeliveries(created.id);
      expect(moved).toMatchObject({ status: 'pending', target: 'UANNOUNCER', fallbackFrom: 'CANNOUNCE', error: 'not_in_channel', nextAttemptAt: T0 + 1 });
    });
  });

  describe('feature group snapshots', () => {
    it('stores and replaces the last snapshot of each group', async () => {
      const snapshot = { featureGroup: 'customers', arn: 'arn:x', status: 'Created', deleted: false, features: [{ name: 'age', type: 'Integral' }], hash: 'h1', takenAt: T0 };
      await store.saveSnapshot(snapshot);
      expect(await store.getSnapshot('customers')).toEqual(snapshot);
      await store.saveSnapshot({ ...snapshot, deleted: true, hash: 'h2', takenAt: T0 + 1 });
      expect(await store.getSnapshot('customers')).toMatchObject({ deleted: true, hash: 'h2' });
      expect(await store.getSnapshot('claims')).toBeUndefined();
      expect(await store.listSnapshotNames()).toEqual(['customers']);
    });

    it('keeps creation times and tells the groups still there from the gone, for the watcher\'s counts', async () => {
      const base = { arn: 'arn:x', deleted: false, features: [], hash: 'h', takenAt: T0 };
      await store.saveSnapshot({ ...base, featureGroup: 'customers', status: 'Created', createdAt: T0 - 1000 });
      await store.saveSnapshot({ ...base, featureGroup: 'claims', status: 'Deleting', deleted: true, createdAt: T0 - 2000 });
      await store.saveSnapshot({ ...base, featureGroup: 'old', status: 'Deleted', deleted: true, createdAt: T0 - 3000 });
      await store.saveSnapshot({ ...base, featureGroup: 'legacy' });
      expect(await store.getSnapshot('customers')).toMatchObject({ createdAt: T0 - 1000 });
      expect(await store.listPresentGroups()).toEqual([
        { featureGroup: 'claims', createdAt: T0 - 2000 },
        { featureGroup: 'customers', createdAt: T0 - 1000 },
        { featureGroup: 'legacy' },
      ]);
    });

    it('stores the watcher\'s mark, absent until set', async () => {
      expect(await store.getWatchMark('feature-groups')).toBeUndefined();
      await store.setWatchMark('feature-groups', T0);
      await store.setWatchMark('feature-groups', T0 + 5);
      expect(await store.getWatchMark('feature-groups')).toBe(T0 + 5);
    });
  });

  describe('processed events', () => {
    it('is true only the first time an id is seen from a source, and forgets on request', async () => {
      expect(await store.markEventProcessed('evt-1', 'eventbridge')).toBe(true);
      expect(await store.markEventProcessed('evt-1', 'eventbridge')).toBe(false);
      expect(await store.markEventProcessed('evt-1', 'slack')).toBe(true);
      await store.forgetEvent('evt-1', 'eventbridge');
      expect(await store.markEventProcessed('evt-1', 'eventbridge')).toBe(true);
    });
  });

  describe('thread contexts', () => {
    it('remembers which entity a thread is about, last write wins', async () => {
      const ref = { channel: 'C1', threadTs: '1700000000.000100' };
      expect(await store.getThreadContext(ref)).toBeUndefined();
      await store.saveThreadContext(ref, { question: 'consumers', input: 'customers', kind: 'FeatureGroup', name: 'customers' });
      await store.saveThreadContext(ref, { question: 'trail', input: 'fraud-detector', kind: 'Model', name: 'fraud-detector' });
      expect(await store.getThreadContext(ref)).toEqual({ question: 'trail', input: 'fraud-detector', kind: 'Model', name: 'fraud-detector' });
      expect(await store.getThreadContext({ ...ref, threadTs: '1' })).toBeUndefined();
    });

    it("lists a channel's latest thread contexts, newest first, and only that channel's", async () => {
      const about = (name: string) => ({ question: 'consumers', input: name, kind: 'FeatureGroup', name });
      await store.saveThreadContext({ channel: 'C1', threadTs: '1.1' }, about('claims'));
      await store.saveThreadContext({ channel: 'C2', threadTs: '1.2' }, about('elsewhere'));
      await store.saveThreadContext({ channel: 'C1', threadTs: '1.3' }, about('customers'));
      await store.saveThreadContext({ channel: 'C1', threadTs: '1.4' }, about('claims-v2'));
      expect((await store.recentThreadContexts('C1', 2)).map((c) => c.name)).toEqual(['claims-v2', 'customers']);
      expect((await store.recentThreadContexts('C1', 10)).map((c) => c.name)).toEqual(['claims-v2', 'customers', 'claims']);
      expect(await store.recentThreadContexts('C9', 10)).toEqual([]);
    });
  });

  describe('audit log', () => {
    it('appends entries in order', async () => {
      await store.appendAudit({ at: T0, actor: 'U1', action: 'a', detail: { n: 1 } });
      await store.appendAudit({ at: T0, actor: 'U2', action: 'b', noticeId: 'n1', detail: {} });
      expect(await store.listAudit()).toEqual([
        { at: T0, actor: 'U1', action: 'a', detail: { n: 1 } },
        { at: T0, actor: 'U2', action: 'b', noticeId: 'n1', detail: {} },
      ]);
      expect(await store.listAudit('n1')).toHaveLength(1);
    });
  });

  describe('transactions', () => {
    it('keeps a statement made while a transaction is open out of it, so that its rollback does not undo it', async () => {
      const twice = [recipients[0]!, recipients[0]!]; // one recipient key twice: the transaction fails after the notice went in
      const failing = store.createNotice(notice(), twice, audit, T0);
      const meanwhile = store.markEventProcessed('Ev-during', 'slack');
      await expect(failing).rejects.toThrow();
      expect(await meanwhile).toBe(true);
      expect(await store.markEventProcessed('Ev-during', 'slack')).toBe(false);
      expect(await store.listOpenNotices()).toEqual([]);
    });

    it('runs transactions started together one after the other', async () => {
      const { notice: created } = await store.createNotice(notice(), recipients, audit, T0);
      const acks = await Promise.all(recipients.map((r, i) => store.acknowledge(created.id, r.key, `U${i}`, T0 + i)));
      expect(acks.map((a) => a.first)).toEqual([true, true]);
      expect((await store.getNotice(created.id))?.summaryVersion).toBe(2);
    });
  });
}

describe('SQLite store (in memory)', () => {
  storeSuite(() => openStore('sqlite::memory:'));

  it('leads by lease: one holder at a time, renewed by its holder, taken over after it expires', async () => {
    const store = await openStore('sqlite::memory:');
    expect(await store.tryLead('watcher', 'a', 1000, T0)).toBe(true);
    expect(await store.tryLead('watcher', 'b', 1000, T0 + 10)).toBe(false);
    expect(await store.tryLead('watcher', 'a', 1000, T0 + 500)).toBe(true);
    expect(await store.tryLead('watcher', 'b', 1000, T0 + 1499)).toBe(false);
    expect(await store.tryLead('watcher', 'b', 1000, T0 + 1500)).toBe(true);
    await store.releaseLead('watcher', 'b');
    expect(await store.tryLead('watcher', 'a', 1000, T0 + 1501)).toBe(true);
    await store.close();
  });
});

describe('SQLite store (file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the directory, uses WAL, and keeps data across reopening (migrations run once)', async () => {
    const url = `sqlite:${join(dir, 'nested', 'bot.db')}`;
    const first = await openStore(url);
    const { notice: created } = await first.createNotice(notice(), recipients, audit, T0);
    await first.close();
    const second = await openStore(url);
    expect((await second.getNotice(created.id))?.featureGroup).toBe('customers');
    await second.close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'nested', 'bot.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: SQLITE_MIGRATIONS.length });
    db.close();
  });

  it('migrates a database of the first schema, giving the open-notice rule to the oldest of two open notices', async () => {
    const path = join(dir, 'v1.db');
    const { default: Database } = await import('better-sqlite3');
    const v1 = new Database(path);
    v1.exec(SQLITE_MIGRATIONS[0]!);
    v1.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO schema_migrations VALUES (1, 0)');
    const insert = v1.prepare(
      `INSERT INTO notices (id, source_key, feature_group, kind, effective_date, announcer, unreachable, reminder_days, final_report_at, created_at)
       VALUES (?, ?, 'customers', 'deprecation', '2026-02-01', '{"type":"user","userId":"U1"}', '[]', '[7,1]', 0, ?)`,
    );
    // Checked the old way (a read, then an insert), two such notices could exist.
    insert.run('older', 'view:1', T0);
    insert.run('newer', 'view:2', T0 + 1);
    v1.close();
    const store = await openStore(`sqlite:${path}`);
    expect((await store.getNotice('older'))?.preparedAt).toBe(T0);
    await expect(store.acceptNotice(accepted(), audit, { worker: 'w', leaseMs: 1000 }, T0)).rejects.toMatchObject({ existing: { id: 'older' } });
    await store.closeNotice('older', T0 + 2);
    // The newer one never held the key; a new announcement may go ahead once the older one closed.
    expect((await store.acceptNotice(accepted(), audit, { worker: 'w', leaseMs: 1000 }, T0 + 3)).created).toBe(true);
    await store.close();
  });

  it('migrates a database of the second schema, which has no lineage_cut yet, and keeps where a walk stopped from then on', async () => {
    const path = join(dir, 'v2.db');
    const { default: Database } = await import('better-sqlite3');
    const v2 = new Database(path);
    v2.exec(SQLITE_MIGRATIONS[0]!);
    v2.exec(SQLITE_MIGRATIONS[1]!);
    v2.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO schema_migrations VALUES (1, 0), (2, 0)');
    // Version 2 is the surviving-faults schema as it shipped: lineage_cut came after it.
    const columns = (v2.prepare('PRAGMA table_info(notices)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('open_key');
    expect(columns).not.toContain('lineage_cut');
    v2.close();
    const store = await openStore(`sqlite:${path}`);
    const lineageCut = { depthExceeded: false, sizeExceeded: true, maxDepth: 30, maxVertices: 10 };
    const { notice: created } = await store.createNotice(notice({ lineageCut }), recipients, audit, T0);
    expect((await store.getNotice(created.id))?.lineageCut).toEqual(lineageCut);
    await store.close();
  });

  it('migrates a database of the third schema, rebuilding deliveries with their order and claims kept (v4)', async () => {
    const path = join(dir, 'v3.db');
    const { default: Database } = await import('better-sqlite3');
    const v3 = new Database(path);
    for (const migration of SQLITE_MIGRATIONS.slice(0, 3)) v3.exec(migration);
    v3.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO schema_migrations VALUES (1, 0), (2, 0), (3, 0)');
    v3.prepare(
      `INSERT INTO notices (id, source_key, feature_group, kind, effective_date, announcer, unreachable, reminder_days, final_report_at, created_at, prepared_at)
       VALUES ('n1', 'view:1', 'customers', 'deprecation', '2026-02-01', '{"type":"user","userId":"U1"}', '[]', '[7,1]', 0, ?, ?)`,
    ).run(T0, T0);
    const delivery = v3.prepare(
      `INSERT INTO deliveries (id, seq, notice_id, kind, recipient_key, days, target, status, attempts, next_attempt_at, claimed_by, claimed_until, created_at, updated_at, maybe_duplicate)
       VALUES (?, ?, 'n1', ?, ?, ?, 'UCHURN', ?, 1, ?, ?, ?, ?, ?, ?)`,
    );
    delivery.run('d1', 7, 'notice', 'user:UCHURN', 0, 'sent', T0, null, null, T0, T0, 1);
    delivery.run('d2', 9, 'reminder', 'user:UCHURN', 7, 'pending', T0 + 5, 'w', T0 + 60_000, T0, T0, 0);
    v3.close();
    const store = await openStore(`sqlite:${path}`);
    const kept = await store.listDeliveries('n1');
    expect(kept.map((d) => [d.id, d.seq, d.kind, d.status, d.revision, d.maybeDuplicate ?? false])).toEqual([
      ['d1', 7, 'notice', 'sent', 0, true],
      ['d2', 9, 'reminder', 'pending', 0, false],
    ]);
    expect(await store.listClaimHolders(T0)).toEqual(['w']);
    expect(await store.getNotice('n1')).toMatchObject({ revision: 0 });
    // The same reminder for a moved date is a new delivery, numbered after the old ones.
    expect(await store.completeMilestone('n1', 'reminder:7@1', [{ kind: 'reminder', recipientKey: 'user:UCHURN', days: 7, revision: 1, target: 'UCHURN' }], T0 + 9)).toBe(true);
    expect((await store.listDeliveries('n1')).map((d) => [d.seq, d.revision])).toEqual([
      [7, 0],
      [9, 0],
      [10, 1],
    ]);
    await store.close();
  });

  it('shares leads and claims between two processes’ connections to one file', async () => {
    const url = `sqlite:${join(dir, 'shared.db')}`;
    const a = await openStore(url);
    const b = await openStore(url);
    expect(await a.tryLead('reminders', 'a', 60_000, T0)).toBe(true);
    expect(await b.tryLead('reminders', 'b', 60_000, T0)).toBe(false);
    await a.createNotice(notice(), recipients, audit, T0);
    const fromA = await a.claimDeliveries({ worker: 'a', now: T0, leaseMs: 60_000, limit: 2 });
    const fromB = await b.claimDeliveries({ worker: 'b', now: T0, leaseMs: 60_000, limit: 5 });
    expect(new Set([...fromA, ...fromB].map((d) => d.id)).size).toBe(3);
    await a.close();
    await b.close();
  });

  it('rejects URLs it does not know without echoing them', async () => {
    await expect(openStore('mysql://user:secret@host/db')).rejects.toThrow('STORE_URL must be sqlite:<path> or postgres://…');
    await expect(openStore('mysql://user:secret@host/db')).rejects.not.toThrow(/secret/);
  });

  it('a store that cannot be opened names STORE_URL, never the password', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = (await openStore(`postgres://bot:pw-SECRET-1@127.0.0.1:${port}/lineage`).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(`Could not open the PostgreSQL store in STORE_URL: connect ECONNREFUSED 127.0.0.1:${port}`);
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    await expect(openStore(`sqlite:${dir}`)).rejects.toThrow(/^Could not open the SQLite store in STORE_URL: /);
    rmSync(dir, { recursive: true });
  });
});

describe.skipIf(!POSTGRES_URL)('PostgreSQL store (skipped: set TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run)', () => {
  // One schema per test file run, so parallel runs and files never see each other's rows.
  const schema = `lb_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  // The suite truncates between tests by using fresh ids everywhere except where it checks
  // emptiness; those tables are emptied here.
  storeSuite(async () => {
    const store = await openStore(POSTGRES_URL as string, { schema });
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(
      `TRUNCATE ${['acknowledgements', 'milestones', 'deliveries', 'recipients', 'preparations', 'notices', 'feature_group_snapshots', 'processed_events', 'audit_log', 'thread_contexts']
        .map((table) => `${schema}.${table}`)
        .join(', ')}`,
    );
    await client.end();
    return store;
  });

  it('lets one replica lead at a time (advisory lock), until it releases, closes, or its connection ends', async () => {
    const a = await openStore(POSTGRES_URL as string, { schema, applicationName: `lb-lead-a-${schema}` });
    const b = await openStore(POSTGRES_URL as string, { schema });
    expect(await a.tryLead('watcher', 'a', 1000, T0)).toBe(true);
    expect(await a.tryLead('watcher', 'a', 1000, T0 + 1)).toBe(true);
    expect(await b.tryLead('watcher', 'b', 1000, T0 + 5000)).toBe(false);
    await a.releaseLead('watcher', 'a');
    expect(await b.tryLead('watcher', 'b', 1000, T0)).toBe(true);
    // A replica that stops unlocks before closing, so the lead is free at once (the server frees a
    // closed session's locks only once it has processed the disconnection).
    await b.close();
    expect(await a.tryLead('watcher', 'a', 1000, T0)).toBe(true);

    // A's connection is cut from the server side: the server frees the lock when that backend has
    // exited, another replica takes the lead, and A's next tick finds its lead ended.
    const c = await openStore(POSTGRES_URL as string, { schema });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`lb-lead-a-${schema}`]);
    await admin.end();
    let cLeads = false;
    for (let tries = 0; tries < 100 && !cLeads; tries++) {
      cLeads = await c.tryLead('watcher', 'c', 1000, T0);
      if (!cLeads) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(cLeads).toBe(true);
    expect(await a.tryLead('watcher', 'a', 1000, T0)).toBe(false);
    await Promise.all([a.close(), c.close()]);
  });

  it('survives its connection being terminated in the middle of a transaction: the work fails, is rolled back, and the store goes on', async () => {
    const applicationName = `lb-terminate-${schema}`;
    const store = await openStore(POSTGRES_URL as string, { schema, applicationName });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const locker = new pg.Client({ connectionString: POSTGRES_URL });
    await locker.connect();
    try {
      const { notice: created } = await store.createNotice(notice({ summaryTarget: undefined }), recipients, audit, T0);
      const [delivery] = await store.claimDeliveries({ worker: 'w', now: T0, leaseMs: 60_000, limit: 1 });
      // Another session holds the row, so completeDelivery's transaction waits inside it…
      await locker.query('BEGIN');
      await locker.query(`SELECT id FROM ${schema}.deliveries WHERE id = $1 FOR UPDATE`, [delivery!.id]);
      const completing = store.completeDelivery(delivery!.id, 'w', { channelId: 'CFRAUD', ts: '1.1' }, T0 + 1);
      // It may reject as soon as the backend is terminated, before the expect below awaits it.
      completing.catch(() => {});
      let waiting: number | undefined;
      for (let tries = 0; tries < 200 && waiting === undefined; tries++) {
        const rows = await locker.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [applicationName]);
        waiting = (rows.rows[0] as { pid?: number } | undefined)?.pid;
        if (waiting === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(waiting).toBeDefined();
      // …when its connection is cut. That used to be an 'error' event no one listened to: the process died.
      await locker.query('SELECT pg_terminate_backend($1)', [waiting]);
      await expect(completing).rejects.toThrow(/terminat/);
      await locker.query('ROLLBACK');
      await new Promise((resolve) => setTimeout(resolve, 100)); // the connection's 'end' follows its error
      expect(uncaught).toEqual([]);
      // Rolled back, and the store carries on with a new connection: the delivery can still be completed.
      expect((await store.listDeliveries(created.id)).find((d) => d.id === delivery!.id)?.status).toBe('pending');
      expect(await store.completeDelivery(delivery!.id, 'w', { channelId: 'CFRAUD', ts: '1.1' }, T0 + 2)).toBe(true);
    } finally {
      process.off('uncaughtException', onUncaught);
      await locker.end();
      await store.close();
    }
  });

  it('never hands one delivery to two replicas claiming at once', async () => {
    const replicas = await Promise.all([1, 2, 3].map(() => openStore(POSTGRES_URL as string, { schema })));
    const many = Array.from({ length: 60 }, (_, i): NewRecipient => ({ ...recipients[1]!, key: `user:U${i}`, targetId: `U${i}` }));
    await replicas[0]!.createNotice(notice({ summaryTarget: undefined }), many, audit, T0);
    const claims = await Promise.all(
      replicas.flatMap((replica, r) => [0, 1].map((k) => replica.claimDeliveries({ worker: `w${r}-${k}`, now: T0, leaseMs: 60_000, limit: 15 }))),
    );
    const ids = claims.flat().map((d) => d.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    await Promise.all(replicas.map((replica) => replica.close()));
  });
});
