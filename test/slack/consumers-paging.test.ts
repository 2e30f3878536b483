// The first page of a feature group's consumers costs the same whatever the group's size: through
// the real listeners (a signed /lineage command, then the More button) over the real SageMakerClient
// and the lineage cache, against the one fake SageMaker, counting what the fake was asked.
import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK, NEXT_STEP_ACTION_PATTERN } from '../../blocks/index.js';
import { listBlockId } from '../../blocks/ids.js';
import { MESSAGES } from '../../commands/messages.js';
import { ANSWER_PAGE_SIZE } from '../../src/lineage/answers.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import { createSageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { parseSnapshot, type Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { FakeError, nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { GraphBuilder } from '../support/graph-builder.js';
import { testClient, testOptions } from '../support/sagemaker-nock.js';
import { buttonClick } from '../support/slack-requests.js';
import { startSlackApp, type SlackHarness } from '../support/slack-http.js';
import { tableRows } from '../support/slack-limits.js';

const DESCRIBES = ['DescribeArtifact', 'DescribeContext', 'DescribeAction', 'DescribeTrialComponent'];

let app: SlackHarness | undefined;
let fake: FakeSageMaker | undefined;
afterEach(async () => {
  await app?.close();
  await fake?.close();
  app = undefined;
  fake = undefined;
});

/** Feature groups `small` (10 consumers: 5 models, each at an endpoint) and `big` (600 unless told: 300 models, each at an endpoint). */
function account(bigModels: number): Snapshot {
  const g = new GraphBuilder();
  for (const [group, models] of [
    ['small', 5],
    ['big', bigModels],
  ] as const) {
    const fg = g.featureGroup(group);
    for (let i = 0; i < models; i++) {
      const name = `${group}-model-${String(i).padStart(3, '0')}`;
      const dataset = g.dataset(`${group}-ds-${i}`);
      const job = g.trainingJob(`${group}-train-${i}`);
      const model = g.model(name);
      g.edge(fg, dataset).edge(dataset, job).edge(job, model, 'Produced');
      g.deploy(model, g.endpoint(`${name}-prod`));
    }
  }
  return parseSnapshot(g.document(), 'paging account');
}

async function start(bigModels = 300): Promise<{ app: SlackHarness; fake: FakeSageMaker }> {
  fake = await nockFakeSageMaker(account(bigModels));
  const options = testOptions({ endpoint: fake.url, maxAttempts: 1 });
  app = await startSlackApp({ source: createSageMakerSource(options, testClient(options)) as LineageSource });
  return { app, fake };
}

const describes = (f: FakeSageMaker) => DESCRIBES.reduce((sum, operation) => sum + (f.calls.get(operation) ?? 0), 0);
/** What a walk costs besides naming what it found: QueryLineage's pages follow the lineage's size, not the page's. */
const beyondQuery = (f: FakeSageMaker) => f.totalCalls() - (f.calls.get('QueryLineage') ?? 0);
const find = <T extends KnownBlock>(blocks: readonly KnownBlock[], id: string) => blocks.find((b) => 'block_id' in b && b.block_id === id) as T | undefined;
const sectionText = (blocks: readonly KnownBlock[], id: string) => find<SectionBlock>(blocks, id)?.text?.text;

/** `/lineage fg <group>` (or another question about it): the answer posted in the channel, and what the fake was asked for it. */
async function firstPage(h: { app: SlackHarness; fake: FakeSageMaker }, group: string, question = 'fg') {
  h.app.forget();
  h.fake.resetCalls();
  await h.app.command(`${question} ${group}`);
  await h.app.settle();
  const message = h.app.onlyPost();
  return { message, blocks: message.blocks as unknown as KnownBlock[], calls: h.fake.totalCalls(), describes: describes(h.fake), beyondQuery: beyondQuery(h.fake) };
}

/** Presses the More button of a posted answer; returns what was posted in its thread. */
async function pressMore(h: { app: SlackHarness; fake: FakeSageMaker }, message: { ts: string; blocks: unknown[] }) {
  const buttons = (find<ActionsBlock>(message.blocks as KnownBlock[], BLOCK.nextSteps)?.elements ?? []).filter((e) => e.type === 'button');
  const more = buttons.find((b) => b.text.text.startsWith('More'));
  if (!more || !more.action_id || !NEXT_STEP_ACTION_PATTERN.test(more.action_id)) throw new Error('no More button');
  h.app.forget();
  h.fake.resetCalls();
  const click = buttonClick({ actionId: more.action_id, value: more.value ?? '', user: 'U1', channel: 'C1', messageTs: message.ts });
  const response = await h.app.send(click.body);
  expect(response.status).toBe(200);
  await h.app.settle();
  return { label: more.text.text, posted: h.app.fake.messagesIn('C1'), responses: h.app.fake.responsesTo(click.responseUrl), calls: h.fake.totalCalls(), describes: describes(h.fake) };
}

describe("a feature group's consumers, a page at a time", () => {
  it('the first page of a 600-consumer group costs what a 10-consumer group does, besides the lineage query’s own pages', async () => {
    const h = await start();
    const small = await firstPage(h, 'small');
    const big = await firstPage(h, 'big');

    // The small group: its 5 models and 5 endpoints named, one call each.
    expect(small.describes).toBe(10);
    expect(sectionText(small.blocks, BLOCK.summary)).toContain('*5 models* and *5 endpoints* consume feature group `small`');
    // The big one: a page of models and the endpoints serving them, not 600 describes.
    expect(big.describes).toBe(2 * ANSWER_PAGE_SIZE);
    expect(big.beyondQuery - small.beyondQuery).toBe(2 * ANSWER_PAGE_SIZE - 10);
    // Honest totals, counted from the lineage, and a range that says what is shown.
    expect(sectionText(big.blocks, BLOCK.summary)).toContain('*300 models* and *300 endpoints* consume feature group `big`, through 300 datasets.');
    expect(sectionText(big.blocks, listBlockId('models'))).toBe(`*Models (1–${ANSWER_PAGE_SIZE} of 300)*`);
    const rows = tableRows(big.blocks, listBlockId('models_table'))?.slice(1) ?? [];
    expect(rows).toHaveLength(ANSWER_PAGE_SIZE);
    // Each model shown with its endpoint, named.
    for (const [model, endpoints] of rows) expect(endpoints).toBe(`${model}-prod`);
    expect(sectionText(big.blocks, listBlockId('endpoints'))?.split('\n')[0]).toBe(`*Endpoints of these models (${ANSWER_PAGE_SIZE} of 300)*`);
    expect(big.message.text).toContain('300 models, 300 endpoints');
  });

  it('More describes the next page only, and once: pressed again, it is answered from the cache', async () => {
    const h = await start();
    const first = await firstPage(h, 'big');
    const firstModels = (tableRows(first.blocks, listBlockId('models_table'))?.slice(1) ?? []).map(([model]) => model);

    const second = await pressMore(h, first.message);
    expect(second.label).toBe(`More (${ANSWER_PAGE_SIZE + 1}–${2 * ANSWER_PAGE_SIZE} of 300)`);
    // The walk is cached: the page's models and endpoints are all it asks.
    expect(second.calls).toBe(2 * ANSWER_PAGE_SIZE);
    expect(second.describes).toBe(2 * ANSWER_PAGE_SIZE);
    const reply = second.posted.at(-1);
    const blocks = (reply?.blocks ?? []) as unknown as KnownBlock[];
    expect(sectionText(blocks, listBlockId('models'))).toBe(`*Models (${ANSWER_PAGE_SIZE + 1}–${2 * ANSWER_PAGE_SIZE} of 300)*`);
    const secondModels = (tableRows(blocks, listBlockId('models_table'))?.slice(1) ?? []).map(([model]) => model);
    expect(secondModels).toHaveLength(ANSWER_PAGE_SIZE);
    expect(secondModels.filter((model) => firstModels.includes(model))).toEqual([]);

    const again = await pressMore(h, first.message);
    expect(again.calls).toBe(0);
    expect(tableRows((again.posted.at(-1)?.blocks ?? []) as unknown as KnownBlock[], listBlockId('models_table'))?.slice(1).map(([model]) => model)).toEqual(secondModels);
  });

  it('every page, More after More, names every consumer once', async () => {
    const h = await start(100);
    let page: { ts: string; blocks: unknown[] } = (await firstPage(h, 'big')).message;
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      seen.push(...(tableRows(page.blocks as KnownBlock[], listBlockId('models_table'))?.slice(1) ?? []).map(([model]) => model as string));
      const buttons = find<ActionsBlock>(page.blocks as KnownBlock[], BLOCK.nextSteps)?.elements ?? [];
      if (!buttons.some((b) => b.type === 'button' && b.text.text.startsWith('More'))) break;
      const next = (await pressMore(h, page)).posted.at(-1);
      if (!next) throw new Error('More posted nothing');
      page = next;
    }
    expect(seen.length).toBe(100);
    expect(new Set(seen).size).toBe(100);
    expect([...seen].sort()).toEqual(Array.from({ length: 100 }, (_, i) => `big-model-${String(i).padStart(3, '0')}`));
  });

  it("the owners of a big group's consumers are read a page at a time too", async () => {
    const h = await start(2 * ANSWER_PAGE_SIZE);
    // `owners` is no subcommand: the Owners button asks it. Asked here as the button would.
    const fg = await firstPage(h, 'big');
    const owners = (find<ActionsBlock>(fg.blocks, BLOCK.nextSteps)?.elements ?? []).find((e) => e.type === 'button' && e.text.text === 'Owners');
    if (!owners || owners.type !== 'button' || !owners.action_id) throw new Error('no Owners button');
    h.app.forget();
    h.fake.resetCalls();
    const response = await h.app.send(buttonClick({ actionId: owners.action_id, value: owners.value ?? '', user: 'U1', channel: 'C1', messageTs: fg.message.ts }).body);
    expect(response.status).toBe(200);
    await h.app.settle();
    // One page: its 30 models and their 30 endpoints, a tag read each (the group's own tags were
    // read, and cached, by the fg answer, which says whether the group is marked deprecated).
    expect(h.fake.calls.get('ListTags')).toBe(2 * ANSWER_PAGE_SIZE);
    const posted = h.app.fake.messagesIn('C1').at(-1);
    const blocks = (posted?.blocks ?? []) as unknown as KnownBlock[];
    expect(sectionText(blocks, BLOCK.summary)).toContain(`${2 * ANSWER_PAGE_SIZE} models and ${2 * ANSWER_PAGE_SIZE} endpoints consume it, a page of models at a time. ${1 + 2 * ANSWER_PAGE_SIZE} of those listed here without an owner tag.`);
    expect(sectionText(blocks, listBlockId('owners'))?.split('\n')[0]).toBe(`*Owners of models and their endpoints (1–${ANSWER_PAGE_SIZE} of ${2 * ANSWER_PAGE_SIZE})*`);
    const next = await pressMore(h, { ts: posted?.ts ?? '', blocks: posted?.blocks ?? [] });
    expect(next.label).toBe(`More (${ANSWER_PAGE_SIZE + 1}–${2 * ANSWER_PAGE_SIZE} of ${2 * ANSWER_PAGE_SIZE})`);
    // The walk is cached; the second page's models and endpoints are described and their tags read.
    expect(h.fake.calls.get('ListTags')).toBe(2 * ANSWER_PAGE_SIZE);
    expect(h.fake.calls.get('QueryLineage')).toBeUndefined();
  });

  for (const [fault, error, message] of [
    ['throttled', new FakeError('ThrottlingException', 'Rate exceeded'), MESSAGES.throttled],
    ['a 5xx', new FakeError('InternalFailure', 'We encountered an internal error', 500), MESSAGES.sourceUnavailable],
  ] as const) {
    it(`More when describing the next page is ${fault} says so plainly, and the next press answers`, async () => {
      const h = await start(2 * ANSWER_PAGE_SIZE);
      const first = await firstPage(h, 'big');
      h.fake.failNext('DescribeArtifact', 1, error);
      const failed = await pressMore(h, first.message);
      const shown = failed.responses.map((r) => sectionText((r['blocks'] ?? []) as KnownBlock[], BLOCK.error)).find((text) => text !== undefined);
      expect(shown).toBe(`:warning: ${message}`);
      expect(h.app.logs.join('\n')).not.toMatch(/Answering consumers failed/);
      // Nothing failed was cached: pressed again, the page is answered.
      const retried = await pressMore(h, first.message);
      expect(sectionText((retried.posted.at(-1)?.blocks ?? []) as unknown as KnownBlock[], listBlockId('models'))).toBe(`*Models (${ANSWER_PAGE_SIZE + 1}–${2 * ANSWER_PAGE_SIZE} of ${2 * ANSWER_PAGE_SIZE})*`);
    });
  }
});
