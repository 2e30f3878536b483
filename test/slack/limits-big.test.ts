// Every answer and notice the bot can send, built over the benchmark's large synthetic account
// (200 feature groups, 2,000 models, 1,500 endpoints) for its biggest subjects, every page of
// every paged answer, checked against Slack's limits (test/support/slack-limits.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticAccount } from '../../bench/synthetic-account.js';
import { buildHomeView } from '../../blocks/home.js';
import { buildDeprecateModal, buildFinalReport, buildImpact, buildNoticeMessage, buildReminder, buildSummary, buildWhoElse } from '../../blocks/notices/index.js';
import { buildUnfurl } from '../../blocks/unfurl.js';
import type { ConsumersAnswer } from '../../src/lineage/answers.js';
import type { Answer } from '../../src/lineage/questions.js';
import type { QuestionRequest } from '../../src/lineage/questions.js';
import { ask } from '../../src/lineage/questions.js';
import { LineageService } from '../../src/lineage/service.js';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SnapshotSource } from '../../src/lineage/sources/snapshot.js';
import type { Impact } from '../../src/notices/impact.js';
import type { NoticeStatus } from '../../src/notices/status.js';
import type { Notice, Recipient } from '../../src/notices/model.js';
import { everyPage, expectMessageWithinLimits, expectViewWithinLimits, unparseableNextSteps } from '../support/slack-limits.js';
import { sampleNotice } from '../support/slack-world.js';

const ME = 'U0BIGOWNER';

interface Subjects {
  hottestGroup: string;
  derivedGroup: string;
  widestModel: string;
  deepModel: string;
  endpointOfWidest: string;
  rawSource: string;
}

/** The account with owner tags: every model and endpoint owned by someone, a third of them by ME. */
function taggedAccount(): Snapshot {
  const account = syntheticAccount();
  const tags: Snapshot['Tags'] = {};
  account.Models.forEach((m, i) => {
    tags[m.ModelArn] = [{ Key: 'owner', Value: i % 3 === 0 ? ME : `owner${i}@example.com` }, { Key: 'slack-channel', Value: `#team-${i % 40}` }];
  });
  account.Endpoints.forEach((e, i) => {
    tags[e.EndpointArn] = [{ Key: 'owner', Value: i % 3 === 0 ? ME : `U${String(i).padStart(6, '0')}` }];
  });
  return { ...account, Tags: { ...account.Tags, ...tags } };
}

/** The biggest subjects, read from the snapshot's own shape (no answers needed to find them). */
function biggest(account: Snapshot): Subjects {
  const groupOf = new Map(account.Artifacts.filter((a) => a.ArtifactType === 'FeatureGroup').map((a) => [a.ArtifactArn, (a.Source?.SourceUri ?? '').split('/').pop() as string]));
  const out = new Map<string, number>();
  for (const edge of account.Associations) if (groupOf.has(edge.SourceArn)) out.set(edge.SourceArn, (out.get(edge.SourceArn) ?? 0) + 1);
  const hottest = [...out.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  // A model's training datasets are fed by 1–3 groups; the widest has 3.
  const into = new Map<string, number>();
  for (const edge of account.Associations) if (groupOf.has(edge.SourceArn)) into.set(edge.DestinationArn, (into.get(edge.DestinationArn) ?? 0) + 1);
  // The widest that is also deployed, so its endpoint can be asked about too.
  const deployed = new Set(account.Endpoints.map((e) => e.EndpointName.replace(/-(prod|staging)$/, '')));
  const modelOf = (dataset: string) => (account.Artifacts.find((a) => a.ArtifactArn === dataset)?.Source?.SourceUri?.split('/')[3] ?? '').replace('-train-', '-model-');
  const widestModel = [...into.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([dataset]) => modelOf(dataset))
    .find((model) => deployed.has(model)) as string;
  const deepJob = (account.Artifacts.find((a) => a.ArtifactName?.endsWith('-extract'))?.ArtifactName as string).replace(/-extract$/, '');
  return {
    hottestGroup: groupOf.get(hottest) as string,
    derivedGroup: account.FeatureGroups.find((f) => f.FeatureGroupName.includes('-derived-'))?.FeatureGroupName as string,
    widestModel,
    deepModel: deepJob.replace('-train-', '-model-'),
    endpointOfWidest: account.Endpoints.find((e) => e.EndpointName.startsWith(widestModel))?.EndpointName ?? `${widestModel}-prod`,
    rawSource: account.Artifacts.find((a) => a.ArtifactName === 'ProcessingInputData')?.Source?.SourceUri as string,
  };
}

let account: Snapshot;
let service: LineageService;
let subjects: Subjects;

beforeAll(() => {
  account = taggedAccount();
  service = new LineageService(new SnapshotSource(account, 'x'), { maxDepth: 30, maxVertices: 5000, describeConcurrency: 8 });
  subjects = biggest(account);
});

function requests(s: Subjects): QuestionRequest[] {
  return [
    { question: 'consumers', input: s.hottestGroup },
    { question: 'consumers', input: s.derivedGroup },
    { question: 'dependencies', input: s.widestModel, as: 'Model' },
    { question: 'dependencies', input: s.deepModel, as: 'Model' },
    { question: 'dependencies', input: s.endpointOfWidest, as: 'Endpoint' },
    { question: 'upstream', input: s.hottestGroup },
    { question: 'upstream', input: s.derivedGroup },
    { question: 'builtFrom', input: s.rawSource },
    { question: 'trail', input: s.deepModel, as: 'Model' },
    { question: 'trail', input: s.widestModel, as: 'Model' },
    { question: 'trail', input: s.endpointOfWidest, as: 'Endpoint' },
    { question: 'featureUsage', input: `${s.hottestGroup}.${s.hottestGroup.split('-')[0] as string}_f0` },
    { question: 'search', input: 'model' },
    { question: 'search', input: '-' + '0' },
    { question: 'owners', input: s.hottestGroup },
    { question: 'owners', input: s.widestModel, as: 'Model' },
    { question: 'features', input: s.hottestGroup },
  ];
}

/** The names an answer lists in its main (paged) list. */
function listed(answer: Answer): string[] {
  switch (answer.question) {
    case 'consumers':
      return answer.models.map((m) => m.model.name);
    case 'dependencies':
      return answer.featureGroups.map((d) => d.featureGroup.name);
    case 'upstream':
      return answer.dataSources.map((d) => d.name);
    case 'builtFrom':
      return answer.featureGroups.map((f) => f.featureGroup.name);
    case 'featureUsage':
      return answer.models.map((m) => m.model.name);
    case 'owners':
      return answer.entries.map((e) => e.entity.name);
    case 'features':
      return answer.features.map((f) => f.name);
    default:
      return [];
  }
}

describe('answers over the large synthetic account', () => {
  it('finds big subjects', async () => {
    const consumers = (await service.consumers(subjects.hottestGroup)) as ConsumersAnswer;
    expect(consumers.models.length).toBeGreaterThan(100);
    // The three groups its training datasets read, besides any group those are built from.
    const widest = (await service.dependencies(subjects.widestModel, 'Model')).featureGroups;
    const through = (d: (typeof widest)[number]) => d.features.unknown.find((u) => u.reason === 'through-feature-group')?.through ?? [];
    expect(widest.filter((d) => through(d).length === 0).length).toBe(3);
    for (const base of widest.filter((d) => through(d).length > 0)) expect(through(base).every((g) => widest.some((d) => d.featureGroup.name === g.name))).toBe(true);
  });

  it('every question, every page, within limits, with every listed item on some page', async () => {
    for (const request of requests(subjects)) {
      // The whole answer, every item named: a consumers or owners question's pages name only their own.
      const answer =
        request.question === 'consumers'
          ? await service.consumers(request.input)
          : request.question === 'owners'
            ? await service.owners(request.input, request.as ?? 'any')
            : await ask(service, request);
      const pages = await everyPage(service, request);
      const label = `${request.question} ${request.input}`;
      pages.forEach((page, i) => {
        expectMessageWithinLimits(page, `${label}, page ${i}`);
        expect(unparseableNextSteps(page), `${label}, page ${i}: buttons`).toEqual([]);
      });
      // Paging must not lose items between pages ("…and N more" inside a page is never shown).
      const shown = pages.map((p) => JSON.stringify(p.blocks)).join('\n');
      // In a list as code, in a table as a cell of its own.
      const missing = listed(answer).filter((name) => !shown.includes(`\`${name}\``) && !shown.includes(JSON.stringify({ type: 'raw_text', text: name })));
      expect(missing, `${label}: items on no page`).toEqual([]);
    }
  });

  it('unfurls of the biggest subjects stay within limits', async () => {
    expectMessageWithinLimits({ blocks: buildUnfurl(await service.consumers(subjects.hottestGroup)) }, 'unfurl consumers');
    expectMessageWithinLimits({ blocks: buildUnfurl(await service.dependencies(subjects.endpointOfWidest, 'Endpoint')) }, 'unfurl dependencies');
  });

  it('App Home of someone who owns hundreds of models and endpoints', async () => {
    const owned = await service.ownedBy([ME]);
    expect(owned.owned.length).toBeGreaterThan(100);
    expectViewWithinLimits(buildHomeView(owned), 'home');
  });
});

describe('notices for the feature group with the most consumers', () => {
  async function impactOfHottest(): Promise<Impact> {
    const consumers = await service.consumers(subjects.hottestGroup);
    const owners = await service.owners(subjects.hottestGroup);
    const ownersOf = new Map(owners.entries.map((e) => [e.entity.name, e]));
    const resources = [
      ...consumers.models.map((m) => ({ kind: 'Model' as const, name: m.model.name })),
      ...consumers.endpoints.map((e) => ({ kind: 'Endpoint' as const, name: e.name, status: e.status ?? 'InService' })),
    ].map((r) => {
      const entry = ownersOf.get(r.name);
      const owner = entry?.owners[0] ?? '';
      return { ...r, owners: entry?.owners ?? [], channels: entry?.channels ?? [], addressedTo: owner.startsWith('U') ? [`user:${owner}`] : [] };
    });
    const recipients = new Map<string, Recipient>();
    for (const r of resources) {
      for (const key of r.addressedTo) {
        const target = key.slice(5);
        const existing = recipients.get(key) ?? { noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f', key, type: 'user' as const, targetId: target, label: `Owner ${target}`, owners: [target], resources: [] };
        existing.resources.push({ kind: r.kind, name: r.name });
        recipients.set(key, existing);
      }
    }
    return {
      featureGroup: { name: subjects.hottestGroup, exists: true },
      lineageRecorded: true,
      resources,
      recipients: [...recipients.values()].map(({ noticeId: _, ...r }) => r),
      unreachable: resources.filter((r) => r.addressedTo.length === 0).map((r) => ({ value: r.owners[0] ?? '', reason: 'user_not_found' as const, resources: [{ kind: r.kind, name: r.name }] })),
    };
  }

  it('impact, modal, notice, reminder, summary, final report and "who else" stay within limits', async () => {
    const impact = await impactOfHottest();
    expect(impact.resources.length).toBeGreaterThan(200);
    expect(impact.recipients.length).toBeGreaterThan(0);
    expectMessageWithinLimits(buildImpact(impact), 'impact');
    expectViewWithinLimits(buildDeprecateModal({ featureGroup: subjects.hottestGroup, channelId: 'CANNOUNCE', initialDate: '2026-02-01', impact }), 'modal');
    expectViewWithinLimits(buildDeprecateModal({ featureGroup: subjects.hottestGroup, channelId: 'CANNOUNCE', initialDate: '2026-02-01' }), 'modal while working out');

    const notice: Notice = sampleNotice({
      featureGroup: subjects.hottestGroup,
      kind: 'breaking_schema_change',
      replacement: `${subjects.hottestGroup}-v2`,
      note: 'x'.repeat(2900),
      announcer: { type: 'user', userId: 'UANNOUNCER' },
      change: { removed: Array.from({ length: 300 }, (_, i) => `feature_${i}_${'r'.repeat(20)}`), retyped: Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, from: 'Integral', to: 'String' })), deleted: false },
      reportTo: 'UANNOUNCER',
      unreachable: impact.unreachable,
    });
    // One owner of everything: the biggest per-recipient list there can be.
    const everything: Recipient = { noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f', key: `user:${ME}`, type: 'user', targetId: ME, label: 'Big Owner', owners: [ME], resources: impact.resources.map((r) => ({ kind: r.kind, name: r.name })) };
    const mentions = { allowedMentions: ['UANNOUNCER', ME] };
    expectMessageWithinLimits(buildNoticeMessage(notice, everything), 'notice', mentions);
    expectMessageWithinLimits(buildNoticeMessage(notice, everything, { noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f', recipientKey: everything.key, userId: ME, at: notice.createdAt }), 'acknowledged notice', mentions);
    expectMessageWithinLimits(buildReminder(notice, everything, 1), 'reminder', mentions);
    const status: NoticeStatus = {
      notice,
      recipients: [everything, ...impact.recipients.map((r) => ({ ...r, noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f' }))].map((r, i) => ({
        ...r,
        delivery: { status: i % 5 === 0 ? ('failed' as const) : ('sent' as const), attempts: 1, ...(i % 5 === 0 ? { error: 'user_not_found' } : {}) },
        ...(i % 3 === 0 ? { ack: { noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f', recipientKey: r.key, userId: r.targetId, at: notice.createdAt } } : {}),
      })),
    };
    const acked = { allowedMentions: ['UANNOUNCER', ...status.recipients.map((r) => r.targetId)] };
    expectMessageWithinLimits(buildSummary(status), 'summary', acked);
    expectMessageWithinLimits(buildFinalReport(status), 'final report', acked);
    expectMessageWithinLimits(buildWhoElse(status), 'who else', acked);
  });
});
