// "/lineage infer <model>": the bot offers the links it can work out, and records nothing.
import type { SectionBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK } from '../../blocks/index.js';
import { replyToCommand } from '../../commands/lineage/answer.js';
import { MESSAGES } from '../../commands/messages.js';
import { parseCommandText } from '../../commands/subcommands.js';
import { accountLinkFinder } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { proposeLinks } from '../../src/record/index.js';
import { bareDemoSnapshot } from '../fixtures/record/bare-demo.js';
import { accountWithDirectReader, DIRECT_READER_JOB } from '../fixtures/record/direct-reader.js';
import { cachedDemo } from '../support/demo.js';
import { nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { testAccount } from '../support/sagemaker-nock.js';

const logger = createLogger({ level: 'error', write: () => {} });
let fake: FakeSageMaker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const text = (reply: Awaited<ReturnType<typeof replyToCommand>>, id: string) =>
  (reply.message.blocks.find((b) => 'block_id' in b && b.block_id === id) as SectionBlock | undefined)?.text?.text;

const JOB = DIRECT_READER_JOB;

describe('/lineage infer', () => {
  it('lists the proposed links with their evidence, only to the asker, writing nothing', async () => {
    fake = await nockFakeSageMaker(accountWithDirectReader());
    const account = testAccount({ endpoint: fake.url, maxAttempts: 1 });
    const reply = await replyToCommand(parseCommandText(`infer ${JOB}`), { ...cachedDemo(), linkFinder: { propose: (job) => proposeLinks(account, { trainingJobs: [job] }) } }, logger);
    expect(reply.ephemeral).toBe(true);
    const body = text(reply, BLOCK.summary) ?? '';
    expect(body.split('\n')[0]).toBe(`Proposed links for ${JOB}:`);
    expect(body).toContain('feature group customers');
    expect(body).toContain('offline');
    expect(reply.message.blocks.some((b) => JSON.stringify(b).includes(`lineage-bot infer --apply ${JOB}`))).toBe(true);
    expect([...fake.calls.keys()].filter((op) => /^(Create|Add|Update)/.test(op))).toEqual([]);
  });

  it('finds nothing to propose where the demo model has no evidence', async () => {
    fake = await nockFakeSageMaker(bareDemoSnapshot());
    const account = testAccount({ endpoint: fake.url, maxAttempts: 1 });
    const reply = await replyToCommand(parseCommandText('infer fraud-detector'), { ...cachedDemo(), linkFinder: { propose: (model) => proposeLinks(account, { models: [model] }) } }, logger);
    expect(text(reply, BLOCK.summary)?.split('\n')[0]).toBe('No missing feature group links found for fraud-detector.');
  });

  it('the app reads the name as a model first, then as a training job', async () => {
    fake = await nockFakeSageMaker(accountWithDirectReader());
    const finder = accountLinkFinder(testAccount({ endpoint: fake.url, maxAttempts: 1 }));
    expect((await finder.propose(JOB)).proposals.map((p) => [p.trainingJob, p.featureGroup.name])).toEqual([[JOB, 'customers']]);
    expect((await finder.propose('fraud-detector')).proposals).toEqual([]);
    await expect(finder.propose('neither-model-nor-job')).rejects.toMatchObject({ code: 'EntityNotFound', lookedFor: 'training job' });
  });

  it('says it needs the SageMaker source when the bot reads a snapshot', async () => {
    const reply = await replyToCommand(parseCommandText('infer fraud-detector'), cachedDemo(), logger);
    expect(text(reply, BLOCK.error)).toBe(`:warning: ${MESSAGES.inferNeedsSageMaker}`);
  });

  it('an unknown model gets the not-found message', async () => {
    fake = await nockFakeSageMaker(bareDemoSnapshot());
    const account = testAccount({ endpoint: fake.url, maxAttempts: 1 });
    const reply = await replyToCommand(parseCommandText('infer nope'), { ...cachedDemo(), linkFinder: { propose: (model) => proposeLinks(account, { models: [model] }) } }, logger);
    expect(text(reply, BLOCK.error)).toBe(`:warning: ${MESSAGES.notFound('nope', 'SageMaker model')}`);
  });
});
