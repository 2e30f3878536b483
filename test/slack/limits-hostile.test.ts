// Hostile data in every field an answer shows — names, URIs, tags, feature names, descriptions,
// feature-store queries — holding pings (<!channel>, <!here>), mentions (<@U123>), entities
// (&amp;), links (<https://evil|click>), 5,000-character strings, emoji and right-to-left text.
// Every answer, page, notice and view must stay within Slack's limits and render all of it inert.
import { describe, expect, it } from 'vitest';
import { buildHomeView } from '../../blocks/home.js';
import {
  buildAnnounceFailed,
  buildDeprecateModal,
  buildFinalReport,
  buildImpact,
  buildNoticeMessage,
  buildReminder,
  buildSummary,
  buildWhoElse,
} from '../../blocks/notices/index.js';
import { listBlockId } from '../../blocks/ids.js';
import { buildUnfurl } from '../../blocks/unfurl.js';
import { lookingText } from '../../commands/lineage/answer.js';
import { MAX_FEATURE_GROUP_REFERENCE } from '../../blocks/notices/index.js';
import { NOTICE_MESSAGES } from '../../commands/messages.js';
import type { QuestionRequest } from '../../src/lineage/questions.js';
import type { Impact } from '../../src/notices/impact.js';
import type { NoticeStatus } from '../../src/notices/status.js';
import type { Notice, Recipient, UnreachableOwner } from '../../src/notices/model.js';
import { arn, GraphBuilder, serviceOver } from '../support/graph-builder.js';
import { everyPage, expectMessageWithinLimits, expectViewWithinLimits, messageViolations, tableRows, unparseableNextSteps } from '../support/slack-limits.js';
import { sampleNotice } from '../support/slack-world.js';

const PINGS = ['<!channel>', '<!here>', '<@U123>', '<https://evil'];
const EVIL = '<!channel><!here><@U123>&amp;<https://evil|click>';
const EMOJI_RTL = '🔥模型\u202Eשלום\u202C';
const LONG = `long-${'L'.repeat(4995)}`;

// What a question is asked with must be a SageMaker name (the resolver refuses anything else), so
// the subjects have valid names of the longest kind; everything the answers show about them —
// other models and endpoints, data source URIs, jobs, code, features, descriptions, tags, queries —
// is hostile.
const FG = 'hostile-features';
const LONG_FG = `f${'g'.repeat(62)}`;
const MODEL = 'hostile-model';
const LONG_MODEL = `m${'o'.repeat(62)}`;
const ENDPOINT = 'hostile-endpoint';
const SOURCE = `s3://lake/${EVIL}/${EMOJI_RTL}/raw.csv`;
const LONG_SOURCE = `s3://lake/${LONG}/raw.csv`;
const FEATURE = 'evil_feature';

function hostileAccount() {
  const g = new GraphBuilder();
  const features = { [`id_${EVIL}`]: 'String' as const, [FEATURE]: 'Integral' as const, [`f_${EVIL}`]: 'Integral' as const, [`f_${LONG}`]: 'String' as const, event_time: 'Fractional' as const };
  const fg = g.featureGroup(FG, { features, table: `table_${EVIL}` });
  const longFg = g.featureGroup(LONG_FG, { features });
  g.chain(g.dataSource(SOURCE), g.processingJob(`job-${EVIL}`), fg);
  g.chain(g.dataSource(LONG_SOURCE, 'long-source'), g.processingJob(`job-${LONG}`), longFg);
  g.edge(g.code(`code-${EVIL}.py`, `https://evil|click>${EVIL}`), arn.trialComponent(`job-${EVIL}-aws-processing-job`));
  const sql = `SELECT t0."${FEATURE}", t0."f_${EVIL}" FROM "sagemaker_featurestore"."table_${EVIL}" t0 -- ${EVIL} ${'x'.repeat(5000)}`;
  const models: string[] = [];
  for (const [i, name] of [MODEL, LONG_MODEL, ...Array.from({ length: 60 }, (_, k) => `m${k}-${EVIL}-${EMOJI_RTL}-${'n'.repeat(100)}`), `model-${LONG}`].entries()) {
    const dataset = g.dataset(i === 0 ? `ds-${EVIL}` : `ds-${i}`, sql);
    g.edge(fg, dataset).edge(longFg, dataset);
    const job = g.trainingJob(`train-${i}`);
    const model = g.model(name);
    g.edge(dataset, job).edge(job, model, 'Produced');
    models.push(name);
    if (i < 30) g.deploy(model, g.endpoint(i === 0 ? ENDPOINT : `${EVIL}-${'e'.repeat(100)}-ep${i}`));
  }
  const document = g.document();
  document.FeatureGroups = (document.FeatureGroups ?? []).map((f) => ({ ...f, Description: `${EVIL} ${EMOJI_RTL} ${LONG}` }));
  const owner = (value: string) => [{ Key: 'owner', Value: value }, { Key: 'slack-channel', Value: `<!here>${EVIL}` }];
  document.Tags = Object.fromEntries([
    [arn.featureGroup(FG), owner(EVIL)],
    ...models.map((m, i) => [arn.model(m), owner(i === 0 ? 'UHOSTILE' : i % 2 ? `<@U123>${LONG}` : EVIL)]),
    [arn.endpoint(ENDPOINT), owner('UHOSTILE')],
  ]);
  return serviceOver(document, { maxDepth: 30, maxVertices: 5000 });
}

const service = hostileAccount();

const REQUESTS: QuestionRequest[] = [
  { question: 'consumers', input: FG },
  { question: 'consumers', input: LONG_FG },
  { question: 'dependencies', input: MODEL, as: 'Model' },
  { question: 'dependencies', input: LONG_MODEL, as: 'Model' },
  { question: 'dependencies', input: ENDPOINT, as: 'Endpoint' },
  { question: 'upstream', input: FG },
  { question: 'upstream', input: LONG_FG },
  { question: 'builtFrom', input: SOURCE },
  { question: 'builtFrom', input: LONG_SOURCE },
  { question: 'trail', input: MODEL, as: 'Model' },
  { question: 'trail', input: LONG_MODEL, as: 'Model' },
  { question: 'trail', input: ENDPOINT, as: 'Endpoint' },
  { question: 'featureUsage', input: `${FG}.${FEATURE}` },
  { question: 'search', input: 'channel' },
  { question: 'owners', input: FG },
  { question: 'owners', input: MODEL, as: 'Model' },
  { question: 'features', input: FG },
  { question: 'features', input: LONG_FG },
];

describe('the validator', () => {
  it('catches a ping in fallback text, raw markup in mrkdwn and an oversized section', () => {
    const problems = messageViolations({ text: 'hi <!channel>', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `<@U123> & ${'x'.repeat(3000)}` } }] });
    expect(problems.join('\n')).toMatch(/fallback text: a special mention/);
    expect(problems.join('\n')).toMatch(/a user mention/);
    expect(problems.join('\n')).toMatch(/unescaped "&"/);
    expect(problems.join('\n')).toMatch(/section text is \d+ characters/);
  });
});

describe('answers over hostile data', () => {
  for (const request of REQUESTS) {
    it(`${request.question} ${request.input.slice(0, 30)}: every page within limits, nothing pings`, async () => {
      for (const [i, page] of (await everyPage(service, request)).entries()) {
        expectMessageWithinLimits(page, `page ${i}`);
        expect(unparseableNextSteps(page), `page ${i}: buttons`).toEqual([]);
      }
    });
  }

  it('unfurls render hostile names inert', async () => {
    expectMessageWithinLimits({ blocks: buildUnfurl(await service.consumers(FG)) }, 'unfurl consumers');
    expectMessageWithinLimits({ blocks: buildUnfurl(await service.dependencies(ENDPOINT, 'Endpoint')) }, 'unfurl dependencies');
  });

  it('the "looking up" placeholder for a button about a hostile name does not ping', () => {
    const text = lookingText({ question: 'builtFrom', input: SOURCE });
    for (const ping of PINGS) expect(text).not.toContain(ping);
    expectMessageWithinLimits({ text, blocks: [] }, 'looking');
  });

  it('App Home of the owner of hostile models', async () => {
    const owned = await service.ownedBy(['UHOSTILE']);
    expect(owned.owned.length).toBe(2);
    expectViewWithinLimits(buildHomeView(owned), 'home');
  });
});

describe('notices over hostile data', () => {
  const resources = [
    { kind: 'Model' as const, name: MODEL, owners: [EVIL], channels: [`<!here>${EVIL}`], addressedTo: ['user:UHOSTILE'] },
    { kind: 'Model' as const, name: LONG_MODEL, owners: [`<@U123>${LONG}`], channels: [], addressedTo: [] },
    ...Array.from({ length: 300 }, (_, i) => ({ kind: 'Endpoint' as const, name: `ep${i}-${EVIL}`, status: `<!channel>${i}`, owners: [EVIL], channels: [], addressedTo: ['user:UHOSTILE'] })),
  ];
  const recipient: Recipient = {
    noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f',
    key: 'user:UHOSTILE',
    type: 'user',
    targetId: 'UHOSTILE',
    label: `${EVIL} ${EMOJI_RTL} ${LONG}`,
    owners: [EVIL],
    resources: resources.map((r) => ({ kind: r.kind, name: r.name, ...('status' in r ? { status: r.status } : {}) })),
  };
  const unreachable: UnreachableOwner[] = [
    { value: `<@U123>${LONG}`, reason: 'user_not_found', resources: [{ kind: 'Model', name: LONG_MODEL }] },
    // What Slack said about a look-up is data too.
    { value: EVIL, reason: 'lookup_refused', detail: `<!channel>${LONG}`, resources: [{ kind: 'Model', name: MODEL }] },
    { value: EVIL, reason: 'missing_scope', detail: `<!here>${EVIL}`, resources: [{ kind: 'Model', name: MODEL }] },
    { value: EVIL, reason: 'lookup_failed', detail: EVIL, resources: [{ kind: 'Model', name: MODEL }] },
  ];
  const impact: Impact = { featureGroup: { name: FG, exists: true }, lineageRecorded: true, resources, recipients: [{ ...recipient }], unreachable };
  const notice: Notice = sampleNotice({
    featureGroup: FG,
    replacement: `${EVIL}${LONG}`,
    note: `${EVIL} ${EMOJI_RTL} ${'<&>'.repeat(1000)}`,
    announcer: { type: 'user', userId: 'UANNOUNCER' },
    change: { removed: [EVIL, LONG], retyped: [{ name: EVIL, from: EVIL, to: LONG }], deleted: false },
    reportTo: 'UANNOUNCER',
    unreachable,
  });
  const intended = { allowedMentions: ['UANNOUNCER', 'UHOSTILE'] };

  it('impact and the deprecate modal', () => {
    expectMessageWithinLimits(buildImpact(impact), 'impact');
    expectMessageWithinLimits(buildImpact({ ...impact, featureGroup: { name: LONG_FG, exists: true } }), 'impact of a long name');
    expectViewWithinLimits(buildDeprecateModal({ featureGroup: FG, channelId: 'C1', initialDate: '2026-02-01', impact }), 'modal');
    expectViewWithinLimits(buildDeprecateModal({ featureGroup: FG, channelId: 'C1', initialDate: '2026-02-01', impactProblem: 'x' }), 'modal with a problem');
    // Before the check: what the user typed, as it is (commands/notices bounds its length).
    const typed = `${EVIL}${LONG}`.slice(0, MAX_FEATURE_GROUP_REFERENCE);
    expectViewWithinLimits(buildDeprecateModal({ featureGroup: typed, channelId: 'C1', initialDate: '2026-02-01' }), 'modal being filled in');
    expectViewWithinLimits(
      buildDeprecateModal({ featureGroup: FG, channelId: 'C1', initialDate: '2026-02-01', refusal: { message: NOTICE_MESSAGES.notAllowed(FG, [EVIL, LONG], ['UADMIN']), hint: NOTICE_MESSAGES.notAllowedHint } }),
      'modal refusing',
      { allowedMentions: ['UADMIN'] },
    );
  });

  it('the notice, its reminder, the summary, the final report and "who else"', () => {
    const status: NoticeStatus = {
      notice,
      recipients: [
        { ...recipient, delivery: { status: 'sent', attempts: 1 }, ack: { noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f', recipientKey: recipient.key, userId: 'UHOSTILE', at: notice.createdAt } },
        { ...recipient, key: 'channel:C1', type: 'channel', targetId: 'C1', delivery: { status: 'failed', attempts: 1, error: `<!channel>${LONG}` } },
        { ...recipient, key: 'user:U2', targetId: 'U2', delivery: { status: 'sent', attempts: 1, maybeDuplicate: true } },
      ],
    };
    expectMessageWithinLimits(buildNoticeMessage(notice, recipient), 'notice', intended);
    expectMessageWithinLimits(buildNoticeMessage(notice, recipient, { noticeId: '0c9f3a52-7d1e-4b6a-9e2f-3a4b5c6d7e8f', recipientKey: recipient.key, userId: '<!channel>', at: 0 }), 'acknowledged', intended);
    expectMessageWithinLimits(buildReminder(notice, recipient, 3), 'reminder', intended);
    expectMessageWithinLimits(buildSummary(status), 'summary', intended);
    expectMessageWithinLimits(buildFinalReport(status), 'final report', intended);
    expectMessageWithinLimits(buildWhoElse(status), 'who else', intended);
    // The failure words come from the listeners' messages, which escape what they quote; a long one is cut.
    expectMessageWithinLimits(buildAnnounceFailed({ ...notice, failure: `Feature group &lt;!channel&gt; ${'x'.repeat(5000)}` }), 'announce failed', intended);
  });
});

describe('paging with names of the longest SageMaker allows', () => {
  it('every consuming model is on some page, none lost between pages', async () => {
    // 63 characters is SageMaker's longest model and endpoint name; each model has two endpoints.
    const g = new GraphBuilder();
    const fg = g.featureGroup('popular');
    const names = Array.from({ length: 90 }, (_, i) => `model-${String(i).padStart(3, '0')}-${'x'.repeat(53)}`);
    for (const [i, name] of names.entries()) {
      const dataset = g.dataset(`ds-${i}`);
      const job = g.trainingJob(`train-${i}`);
      const model = g.model(name);
      g.edge(fg, dataset).edge(dataset, job).edge(job, model, 'Produced');
      for (const stage of ['prod', 'stag']) g.deploy(model, g.endpoint(`${name.slice(0, 58)}-${stage}`));
    }
    const request: QuestionRequest = { question: 'consumers', input: 'popular' };
    const pages = await everyPage(g.service(), request);
    for (const [i, page] of pages.entries()) expectMessageWithinLimits(page, `page ${i}`);
    // A row of its own in each page's table, every one of them.
    const rows = pages.flatMap((page) => tableRows(page.blocks, listBlockId('models_table'))?.slice(1) ?? []);
    expect(rows.map((row) => row[0])).toEqual(names);
  });
});
