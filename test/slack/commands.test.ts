import { describe, expect, it, vi } from 'vitest';
import { lookingText, replyToCommand } from '../../commands/lineage/answer.js';
import { NextStepValue } from '../../blocks/elements.js';
import { MESSAGES } from '../../commands/messages.js';
import { COMMAND, MAX_COMMAND_LENGTH, parseCommandText, SUBCOMMANDS } from '../../commands/subcommands.js';
import { buildHelp } from '../../blocks/help.js';
import { nextSteps } from '../../blocks/elements.js';
import { BLOCK } from '../../blocks/index.js';
import type { ContextBlock, SectionBlock } from '@slack/types';
import { createLogger } from '../../src/logger.js';
import { cachedDemo } from '../support/demo.js';

const logger = createLogger({ level: 'error', write: () => {} });

describe('next-step button values', () => {
  it('are understood by the button listener for every input a button is built with', () => {
    for (const length of [1, 1500, 1600, 1950]) {
      const block = nextSteps([{ label: 'Go', question: 'builtFrom', input: `s3://lake/${'k'.repeat(length)}` }], 'next');
      const value = block?.elements[0] && 'value' in block.elements[0] ? block.elements[0].value : undefined;
      if (value === undefined) continue; // too long for Slack: no button at all
      expect(NextStepValue.safeParse(JSON.parse(value)).success, `input of ${length}`).toBe(true);
    }
  });
});

describe('parseCommandText', () => {
  it('reads `&`, `<` and `>` as Slack sends them, as entities', () => {
    expect(parseCommandText('source s3://lake/raw/a&amp;b.csv')).toEqual({
      kind: 'question',
      request: { question: 'builtFrom', input: 's3://lake/raw/a&b.csv' },
    });
    expect(parseCommandText('search a&lt;b&gt;')).toMatchObject({ kind: 'question', request: { input: 'a<b>' } });
  });

  it('maps each subcommand to its question', () => {
    expect(parseCommandText('model fraud-detector')).toEqual({ kind: 'question', request: { question: 'trail', input: 'fraud-detector', as: 'Model' } });
    expect(parseCommandText('endpoint fraud-detector-prod')).toEqual({
      kind: 'question',
      request: { question: 'dependencies', input: 'fraud-detector-prod', as: 'Endpoint' },
    });
    expect(parseCommandText('FG   customers ')).toEqual({ kind: 'question', request: { question: 'consumers', input: 'customers' } });
    expect(parseCommandText('feature-group customers')).toEqual(parseCommandText('fg customers'));
    expect(parseCommandText('source s3://b/raw/x.csv')).toEqual({ kind: 'question', request: { question: 'builtFrom', input: 's3://b/raw/x.csv' } });
    expect(parseCommandText('feature customers.age')).toEqual({ kind: 'question', request: { question: 'featureUsage', input: 'customers.age' } });
    expect(parseCommandText('search fraud model')).toEqual({ kind: 'question', request: { question: 'search', input: 'fraud model' } });
  });

  it('takes names in backticks or quotes, and a quoted S3 key with spaces as one input', () => {
    expect(parseCommandText('fg `customers`')).toEqual(parseCommandText('fg customers'));
    expect(parseCommandText('fg "customers"')).toEqual(parseCommandText('fg customers'));
    expect(parseCommandText('source "s3://b/raw/claims 2024.csv"')).toEqual({ kind: 'question', request: { question: 'builtFrom', input: 's3://b/raw/claims 2024.csv' } });
    expect(parseCommandText('search "claims v2"')).toMatchObject({ request: { input: 'claims v2' } });
    const source = SUBCOMMANDS.find((s) => s.names.includes('source'));
    expect(parseCommandText('source s3://b/raw/claims 2024.csv')).toEqual({ kind: 'tooMany', subcommand: source, spaced: 's3://b/raw/claims 2024.csv' });
  });

  it('a word alone that is no subcommand may be a name to answer about', () => {
    expect(parseCommandText('customers')).toEqual({ kind: 'unknown', word: 'customers', bare: true });
    expect(parseCommandText('`customers`')).toEqual({ kind: 'unknown', word: 'customers', bare: true });
    expect(parseCommandText('customers please')).toEqual({ kind: 'unknown', word: 'customers' });
  });

  it('asks for help on empty text or "help"', () => {
    expect(parseCommandText('')).toEqual({ kind: 'help' });
    expect(parseCommandText('help')).toEqual({ kind: 'help' });
    expect(parseCommandText(undefined)).toEqual({ kind: 'help' });
  });

  it('help lists every subcommand, in as many sections as it needs (it once stopped at "…and 1 more")', () => {
    const { blocks } = buildHelp(COMMAND, SUBCOMMANDS, 'footer');
    const sections = blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
    for (const text of sections) expect(text.length).toBeLessThanOrEqual(3000);
    const all = sections.join('\n');
    expect(all).not.toMatch(/…and \d+ more/);
    for (const subcommand of SUBCOMMANDS) expect(all).toContain(`\`${COMMAND} ${subcommand.usage.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}\``);
    expect(new Set(blocks.map((b) => b.block_id)).size).toBe(blocks.length);
  });

  it('reports unknown subcommands with a suggestion, and missing or extra arguments', () => {
    expect(parseCommandText('modle x')).toEqual({ kind: 'unknown', word: 'modle', suggestion: 'model' });
    expect(parseCommandText('zzz x')).toEqual({ kind: 'unknown', word: 'zzz' });
    const model = SUBCOMMANDS.find((s) => s.names.includes('model'));
    expect(parseCommandText('model')).toEqual({ kind: 'missing', subcommand: model });
    expect(parseCommandText('model a b')).toEqual({ kind: 'tooMany', subcommand: model });
  });

  it('refuses text over the limit instead of reading it as empty (which showed help)', () => {
    expect(parseCommandText(`model ${'a'.repeat(MAX_COMMAND_LENGTH)}`)).toEqual({ kind: 'tooLong', max: MAX_COMMAND_LENGTH });
    expect(parseCommandText(`search ${'a'.repeat(MAX_COMMAND_LENGTH - 7)}`).kind).toBe('question');
  });
});

describe('replyToCommand', () => {
  const text = async (input: string, deps = cachedDemo()) => {
    const reply = await replyToCommand(parseCommandText(input), deps, logger);
    const error = reply.message.blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.error) as SectionBlock | undefined;
    return { reply, error: error?.text?.text };
  };

  it('answers in the channel, and errors only to the asker', async () => {
    expect((await text('fg customers')).reply.ephemeral).toBe(false);
    const { reply, error } = await text('fg nope-nope');
    expect(reply.ephemeral).toBe(true);
    expect(error).toBe(`:warning: ${MESSAGES.notFound('nope-nope', 'feature group')}`);
  });

  it('gives one message per error kind', async () => {
    expect((await text('fg policies')).error).toBe(`:warning: ${MESSAGES.noLineage('feature group', 'policies')}`);
    expect((await text('fg arn:aws:sagemaker:us-east-1:111122223333:model/fraud-detector')).error).toBe(
      `:warning: ${MESSAGES.wrongKind('arn:aws:sagemaker:us-east-1:111122223333:model/fraud-detector', 'model', ['feature group'])}`,
    );
    expect((await text('fg arn:nope')).error).toBe(':warning: "arn:nope" is not a SageMaker ARN.');
    expect((await text('frob x')).error).toBe(`:warning: ${MESSAGES.unknownSubcommand('frob')}`);
    expect((await text(`model ${'a'.repeat(5000)}`)).error).toBe(`:warning: ${MESSAGES.tooLong(MAX_COMMAND_LENGTH)}`);
  });

  // The domain gives the example as a question (src/lineage knows no slash command); this layer writes it as one.
  it('a search too short is refused with an example written as the command', async () => {
    const { reply, error } = await text('search a');
    expect(error).toBe(':warning: Search for at least 2 characters.');
    const hint = reply.message.blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.hint) as ContextBlock | undefined;
    expect(hint?.elements).toEqual([{ type: 'mrkdwn', text: 'Example: /lineage search fraud' }]);
  });

  it('puts "an" before a kind that starts with a vowel', async () => {
    expect((await text('model fraud-detector-prod')).error).toBe(':warning: `fraud-detector-prod` is an endpoint, not a model.');
    expect((await text('endpoint fraud-detector')).error).toBe(':warning: `fraud-detector` is a model, not an endpoint.');
    expect((await text('source s3://nope-bucket/x.csv')).error).toBe(":warning: I couldn't find a data source called `s3://nope-bucket/x.csv`.");
  });

  it('refresh drops what the cache holds about an entity, by every name it has', async () => {
    const deps = cachedDemo();
    await deps.service.consumers('customers');
    const before = deps.cache.stats().entries;
    const { reply } = await text('refresh customers', deps);
    expect(reply.ephemeral).toBe(true);
    const summary = reply.message.blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.summary) as SectionBlock;
    const dropped = Number(/: (\d+) cached/.exec(summary.text?.text ?? '')?.[1]);
    expect(dropped).toBeGreaterThanOrEqual(3);
    expect(summary.text?.text).toBe(MESSAGES.refreshed('customers', dropped));
    expect(deps.cache.stats().entries).toBeLessThan(before);
  });

  it('refresh counts only what was cached before it, not the lookups it made itself', async () => {
    const deps = cachedDemo();
    const { reply } = await text('refresh customers', deps);
    expect(reply.message.text).toMatch(/^Refreshed `customers`: 0 cached entries dropped/);
    // …yet those lookups are dropped too, so the next answer reads afresh.
    expect(deps.cache.stats().entries).toBe(0);
  });

  it('refresh of something that does not exist says nothing is called that, and forgets the cached "not found"', async () => {
    const deps = cachedDemo();
    const { reply, error } = await text('refresh gone-group', deps);
    // Nothing was cached about it before, and nothing has that name: "refreshed" would be a lie.
    expect(reply.ephemeral).toBe(true);
    expect(error).toBe(`:warning: ${MESSAGES.refreshNothing('gone-group')}`);
    // Its cached "not found" is gone too: a group created since would be found at once.
    const describe = vi.spyOn(deps.inner, 'describeFeatureGroup');
    await deps.cache.describeFeatureGroup('gone-group');
    expect(describe).toHaveBeenCalledTimes(1);
  });

  it('stats shows the cache counters to the asker only', async () => {
    const deps = cachedDemo();
    await deps.service.consumers('customers');
    await deps.service.consumers('customers');
    const { reply } = await text('stats', deps);
    expect(reply.ephemeral).toBe(true);
    expect(reply.message.text).toBe(MESSAGES.stats(deps.cache.stats(), 'embedded demo snapshot (cached)'));
    expect(reply.message.text).toMatch(/\d+ hits, \d+ misses \(\d+% hit rate\)/);
  });

  it('stats counts in the singular when there is one', () => {
    const one = { hits: 1, misses: 1, staleHits: 1, coalesced: 1, entries: 1, bytes: 0, evictions: 1 };
    expect(MESSAGES.stats(one, 'demo')).toBe(
      '*Lineage cache* (demo): 1 hit, 1 miss (50% hit rate); 1 stale answer served while refreshing, 1 coalesced request; 1 entry, 0.0 MB; 1 eviction.',
    );
    expect(MESSAGES.stats({ ...one, hits: 0, entries: 2 }, 'demo')).toContain('0 hits, 1 miss (0% hit rate)');
  });

  it('escapes what the user typed', async () => {
    const { error } = await text('frob<!channel> x');
    expect(error).toContain('&lt;!channel&gt;');
    expect(error).not.toContain('<!channel>');
  });
});

describe('lookingText', () => {
  it('escapes the input: a next-step button about a crafted S3 URI must not ping while it is looked up', () => {
    const text = lookingText({ question: 'builtFrom', input: 's3://lake/<!channel>/<@U123>/<https://evil|click>&amp;.csv' });
    expect(text).toBe('Looking up s3://lake/&lt;!channel&gt;/&lt;@U123&gt;/&lt;https://evil|click&gt;&amp;amp;.csv…');
  });
});
