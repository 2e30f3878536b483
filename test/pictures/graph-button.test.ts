// The Graph button: on every answer about an entity (and none on a search), its value decoded by
// the codec that wrote it, and Slack's limits kept when the answer's row or message is full.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { BLOCK, buildAnswer, decodeGraph, GRAPH_ACTION, withGraphButton } from '../../blocks/index.js';
import { context, section } from '../../blocks/elements.js';
import { LIMITS } from '../../blocks/text.js';
import { ask, type QuestionRequest } from '../../src/lineage/questions.js';
import { demoService } from '../support/demo.js';
import { expectMessageWithinLimits } from '../support/slack-limits.js';

const graphButtons = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).filter((e) => e.type === 'button' && e.action_id === GRAPH_ACTION) as { value?: string }[];

describe('the Graph button on answers', () => {
  const service = demoService();
  it.each<[QuestionRequest, string]>([
    [{ question: 'consumers', input: 'customers' }, 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers'],
    [{ question: 'upstream', input: 'claims' }, 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims'],
    [{ question: 'features', input: 'claims' }, 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/claims'],
    [{ question: 'featureUsage', input: 'customers.age' }, 'arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers'],
    [{ question: 'builtFrom', input: 's3://demo-ml-lake/raw/claims.csv' }, 's3://demo-ml-lake/raw/claims.csv'],
    [{ question: 'trail', input: 'fraud-detector', as: 'Model' }, ''],
    [{ question: 'dependencies', input: 'fraud-detector-prod', as: 'Endpoint' }, ''],
    [{ question: 'owners', input: 'fraud-detector', as: 'Model' }, ''],
  ])('%o: exactly one, last among the next steps, drawing the subject', async (request, expected) => {
    const answer = await ask(service, request);
    const { blocks } = buildAnswer(answer);
    const buttons = graphButtons(blocks);
    expect(buttons).toHaveLength(1);
    const row = blocks.find((b): b is ActionsBlock => b.type === 'actions' && b.block_id === BLOCK.nextSteps);
    expect(row?.elements.at(-1)).toBe(buttons[0]);
    const decoded = decodeGraph(buttons[0]?.value);
    expect(decoded?.view).toBe('lineage');
    // The input the thread remembers too (the resource ARN or URI, else the name): it must resolve to the subject.
    if (expected) expect(decoded?.input).toBe(expected);
    const n = await service.neighbourhood(decoded!.input);
    expect(n.subject.name).toBe('subject' in answer ? answer.subject.name : 'featureGroup' in answer ? answer.featureGroup.name : '');
    expectMessageWithinLimits({ blocks });
  });

  it('none on a search: it is about no one entity', async () => {
    expect(graphButtons(buildAnswer(await service.search('claims')).blocks)).toEqual([]);
  });
});

describe('withGraphButton', () => {
  const request = { input: 'customers', view: 'lineage' as const };
  it('joins a full row by giving up its last step', () => {
    const row: ActionsBlock = {
      type: 'actions',
      block_id: BLOCK.nextSteps,
      elements: Array.from({ length: LIMITS.actionsElements }, (_, i) => ({ type: 'button', action_id: `lineage_next:${i}`, text: { type: 'plain_text', text: `${i}` }, value: `${i}` })),
    };
    const [merged] = withGraphButton([row], request) as [ActionsBlock];
    expect(merged.elements).toHaveLength(LIMITS.actionsElements);
    expect(merged.elements.at(-2)).toMatchObject({ action_id: `lineage_next:${LIMITS.actionsElements - 2}` });
    expect(merged.elements.at(-1)).toMatchObject({ action_id: GRAPH_ACTION });
  });

  it('adds a row of its own to a full message, keeping the note of what was left out last', () => {
    const blocks: KnownBlock[] = [...Array.from({ length: LIMITS.blocks - 1 }, (_, i) => section(`s${i}`, `s${i}`)), context('…3 more blocks were left out.', 'lineage_overflow')];
    const out = withGraphButton(blocks, request);
    expect(out).toHaveLength(LIMITS.blocks);
    expect(out.at(-2)).toMatchObject({ type: 'actions', block_id: BLOCK.nextSteps });
    expect(out.at(-1)).toMatchObject({ block_id: 'lineage_overflow' });
  });

  it('leaves out a button whose input would not fit a button value, and refuses values it did not write', () => {
    expect(withGraphButton([], { input: 'x'.repeat(LIMITS.buttonValue), view: 'lineage' })).toEqual([]);
    for (const value of [undefined, '', 'not json', '{"i":""}', '{"i":"a","v":"other"}', '{"q":"trail","i":"a"}'.replace('"i"', '"x"')]) expect(decodeGraph(value)).toBeUndefined();
    expect(decodeGraph('{"i":"customers","v":"impact"}')).toEqual({ input: 'customers', view: 'impact' });
  });
});
