// Issue 10, through the real listeners over HTTP (signed requests in, a FakeSlack out): ARNs
// and links from elsewhere, new places to start from, input as people paste it, and hints that
// lead somewhere.
import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCK } from '../../blocks/index.js';
import { MESSAGES } from '../../commands/messages.js';
import { createSageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { demoSnapshot } from '../../src/lineage/demo/demo-snapshot.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';
import { nockFakeSageMaker, type FakeSageMaker } from '../support/fake-sagemaker.js';
import { GraphBuilder, LAKE } from '../support/graph-builder.js';
import { testClient, testOptions } from '../support/sagemaker-nock.js';
import { BOT_USER, RESPONSE_HOST, startSlackApp, type SlackHarness } from '../support/slack-http.js';

const DEMO = 'arn:aws:sagemaker:us-east-1:111122223333';
const HOME = { partition: 'aws', region: 'us-east-1', account: '111122223333' };

let app: SlackHarness | undefined;
let fake: FakeSageMaker | undefined;
afterEach(async () => {
  await app?.close();
  await fake?.close();
  app = undefined;
  fake = undefined;
});

const header = (blocks: readonly unknown[]) => ((blocks as KnownBlock[]).find((b) => b.type === 'header') as { text: { text: string } } | undefined)?.text.text;
const sectionText = (blocks: readonly unknown[], id: string) => ((blocks as KnownBlock[]).find((b) => b.block_id === id) as SectionBlock | undefined)?.text?.text;
const contextText = (blocks: KnownBlock[], id: string) =>
  ((blocks.find((b) => b.block_id === id) as ContextBlock | undefined)?.elements[0] as { text?: string } | undefined)?.text;

/** Runs a slash command whose answer is an in-channel post; returns the header. */
async function answerHeader(text: string): Promise<string | undefined> {
  app!.forget();
  await app!.command(text);
  await app!.settle();
  return header(app!.onlyPost().blocks);
}

/** Runs a slash command answered only to the asker; returns the error and the hint. */
async function answerError(text: string): Promise<{ error?: string; hint?: string }> {
  app!.forget();
  await app!.command(text);
  await app!.settle();
  const sent = app!.onlyResponse(/\/commands\//);
  expect(sent['response_type']).toBe('ephemeral');
  const blocks = sent['blocks'] as KnownBlock[];
  return { error: sectionText(blocks, BLOCK.error), hint: contextText(blocks, BLOCK.hint) };
}

describe('ARNs from another account, region or partition', () => {
  it('a feature group ARN of another account and region says where it belongs and what the bot reads', async () => {
    app = await startSlackApp();
    const input = 'arn:aws:sagemaker:eu-west-1:999999999999:feature-group/customers';
    expect(await answerError(`fg ${input}`)).toEqual({
      error: `:warning: ${MESSAGES.foreign(input, { partition: 'aws', region: 'eu-west-1', account: '999999999999' }, HOME)}`,
      hint: MESSAGES.foreignHint,
    });
    expect(MESSAGES.foreign(input, { partition: 'aws', region: 'eu-west-1', account: '999999999999' }, HOME)).toBe(
      "`arn:aws:sagemaker:eu-west-1:999999999999:feature-group/customers` belongs to account 999999999999 in eu-west-1, but I read account 111122223333 in us-east-1, so I can't answer about it.",
    );
  });

  it('an arn:aws-cn: ARN is not answered about the aws partition’s same-named group', async () => {
    app = await startSlackApp();
    const input = 'arn:aws-cn:sagemaker:us-east-1:111122223333:feature-group/customers';
    const { error } = await answerError(`fg ${input}`);
    expect(error).toBe(`:warning: ${MESSAGES.foreign(input, { partition: 'aws-cn', region: 'us-east-1', account: '111122223333' }, HOME)}`);
    expect(error).toContain('(partition aws-cn)');
  });

  it('over SageMaker, the account read is learned from the ARNs it lists, with no other permission', async () => {
    fake = await nockFakeSageMaker(demoSnapshot());
    const options = testOptions({ endpoint: fake.url });
    app = await startSlackApp({ source: createSageMakerSource(options, testClient(options)) as LineageSource });
    const input = 'arn:aws:sagemaker:us-east-1:999999999999:feature-group/customers';
    const { error } = await answerError(`fg ${input}`);
    expect(error).toBe(`:warning: ${MESSAGES.foreign(input, { partition: 'aws', region: 'us-east-1', account: '999999999999' }, HOME)}`);
    // The local "customers" was never looked up.
    expect(fake.calls.get('DescribeFeatureGroup')).toBeUndefined();
    expect(fake.calls.get('ListFeatureGroups')).toBe(1);
  });

  it('a console link into another region is not unfurled with this region’s entity', async () => {
    app = await startSlackApp();
    const url = 'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/feature-store/feature-groups/customers/details';
    await app.event({ type: 'link_shared', channel: 'C1', user: 'U1', message_ts: '4.0', links: [{ domain: 'console.aws.amazon.com', url }] });
    await app.settle(5_000);
    expect(app.apiCalls()).toEqual([]);
    expect(app.fake.unfurls).toEqual([]);
    expect(app.fake.responses).toEqual([]);
  });

  it('"Explain lineage" on a console link into another region says so in the thread', async () => {
    app = await startSlackApp();
    const url = 'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/endpoints/fraud-detector-prod';
    // An error is for the asker only: through the shortcut's response URL.
    await app.interaction({
      type: 'message_action',
      callback_id: 'explain_lineage',
      team: { id: 'T1', domain: 'acme' },
      user: { id: 'U1', name: 'ana' },
      channel: { id: 'C1', name: 'ml-platform' },
      message: { type: 'message', ts: '30.0', text: `is <${url}> ok?`, user: 'U9' },
      response_url: `${RESPONSE_HOST}/actions/T1/30/secret`,
      trigger_id: 't.30',
      token: 'legacy',
      api_app_id: 'A1',
    });
    await app.settle();
    expect(sectionText(app.onlyResponse('/actions/T1/30/secret')['blocks'] as KnownBlock[], BLOCK.error)).toBe(`:warning: ${MESSAGES.foreign(url, { partition: 'aws', region: 'eu-west-1' }, HOME)}`);
  });
});

describe('more places to start from', () => {
  it('deps of a training job ARN lists the feature groups behind it', async () => {
    app = await startSlackApp();
    expect(await answerHeader(`deps ${DEMO}:training-job/fraud-detector-training-20251102`)).toBe('Feature groups behind training job fraud-detector-training-20251102');
    expect(await answerHeader('trail fraud-detector-training-20251102')).toBe('Lineage trail of training job fraud-detector-training-20251102');
  });

  it('source of a processing job or a pipeline execution lists the feature groups it builds', async () => {
    app = await startSlackApp();
    expect(await answerHeader('source fraud-feature-pipeline-20251101')).toBe('Feature groups built by processing job fraud-feature-pipeline-20251101');
    expect(await answerHeader(`source ${DEMO}:pipeline/fraud-features/execution/8f3k2q1x7b0m`)).toBe('Feature groups built by pipeline execution fraud-features-20251101');
  });

  it('model of a model package group shows its trail, with its models and versions', async () => {
    const g = new GraphBuilder();
    const model = g.model('churn');
    g.chain(g.featureGroup('customers'), g.dataset('churn-train'), g.trainingJob('train-churn'), model);
    g.modelPackageGroup('churn-models', [model]);
    app = await startSlackApp({ source: g.source() });
    await app.command('model churn-models');
    await app.settle();
    const blocks = app.onlyPost().blocks;
    expect(header(blocks)).toBe('Lineage trail of model package churn-models');
    expect(sectionText(blocks, 'lineage_list_model')).toBe('*Models*\n• `churn`');
    expect(sectionText(blocks, 'lineage_list_modelpackage')).toBe('*Model packages*\n• `churn-models`\n• `churn-models/1`');
  });
});

describe('input as people paste it', () => {
  it.each([
    ['fg `customers`'],
    ['fg "customers"'],
    ['fg “customers”'],
    ['fg Customers'],
    ['customers'],
    ['`customers`'],
  ])('%s answers about customers', async (text) => {
    app = await startSlackApp();
    expect(await answerHeader(text)).toBe('Consumers of feature group customers');
  });

  it.each([
    ['source https://demo-ml-lake.s3.amazonaws.com/raw/claims.csv'],
    ['source https://demo-ml-lake.s3.us-east-1.amazonaws.com/raw/claims.csv'],
    ['source <https://s3.console.aws.amazon.com/s3/object/demo-ml-lake?region=us-east-1&amp;prefix=raw/claims.csv>'],
    ['source <https://demo-ml-lake.s3.amazonaws.com/raw/claims.csv|claims.csv>'],
  ])('%s answers about s3://demo-ml-lake/raw/claims.csv', async (text) => {
    app = await startSlackApp();
    expect(await answerHeader(text)).toBe('Feature groups built from s3://demo-ml-lake/raw/claims.csv');
  });

  it('an S3 console folder page is the one data source under it', async () => {
    const g = new GraphBuilder();
    g.chain(g.dataSource(`${LAKE}/only/customers.csv`), g.processingJob('build'), g.featureGroup('customers'));
    app = await startSlackApp({ source: g.source() });
    const bucket = LAKE.replace('s3://', '');
    expect(await answerHeader(`source <https://s3.console.aws.amazon.com/s3/buckets/${bucket}?region=us-east-1&amp;prefix=only/&amp;showversions=false>`)).toBe(
      `Feature groups built from ${LAKE}/only/customers.csv`,
    );
  });

  it('an S3 key with spaces, quoted; unquoted, the hint says to quote it', async () => {
    const g = new GraphBuilder();
    g.chain(g.dataSource(`${LAKE}/raw/claims 2024.csv`), g.processingJob('build'), g.featureGroup('claims'));
    app = await startSlackApp({ source: g.source() });
    expect(await answerHeader(`source "${LAKE}/raw/claims 2024.csv"`)).toBe(`Feature groups built from ${LAKE}/raw/claims 2024.csv`);
    const { error, hint } = await answerError(`source ${LAKE}/raw/claims 2024.csv`);
    expect(error).toContain('takes one name, ARN or URI at a time');
    expect(hint).toBe('If that is one S3 key or file name with spaces, put it in quotes: `/lineage source "s3://test-lake/raw/claims 2024.csv"`');
  });

  it('a bare name in a mention nobody indexes by name (a training job) is answered about it', async () => {
    app = await startSlackApp();
    await app.event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> fraud-detector-training-20251102`, ts: '2.0', channel: 'C1', event_ts: '2.0' });
    await app.settle();
    expect(header(app.onlyPost().blocks)).toBe('Feature groups behind training job fraud-detector-training-20251102');
  });

  it('a bare word that names nothing is a mistyped subcommand or nothing, with close names', async () => {
    app = await startSlackApp();
    expect(await answerError('searh')).toEqual({ error: `:warning: ${MESSAGES.unknownSubcommand('searh', 'search')}`, hint: MESSAGES.helpHint });
    expect(await answerError('custmers')).toEqual({
      error: `:warning: ${MESSAGES.unknownWord('custmers')}`,
      hint: MESSAGES.didYouMean(['customers', 's3://demo-ml-lake/raw/customers.csv']),
    });
  });
});

describe('hints lead somewhere', () => {
  it('endpoint fraud-detector (a model) points to model fraud-detector and its endpoint', async () => {
    app = await startSlackApp();
    expect(await answerError('endpoint fraud-detector')).toEqual({
      error: `:warning: ${MESSAGES.wrongKind('fraud-detector', 'model', ['endpoint'])}`,
      hint: `${MESSAGES.askInstead('/lineage model fraud-detector')} ${MESSAGES.servedBy(['fraud-detector-prod'], '/lineage endpoint fraud-detector-prod')}`,
    });
    expect(MESSAGES.servedBy(['fraud-detector-prod'], '/lineage endpoint fraud-detector-prod')).toBe(
      'It is served by endpoint `fraud-detector-prod`: `/lineage endpoint fraud-detector-prod`.',
    );
  });

  it('model fraud-detector-prod (an endpoint) points to endpoint fraud-detector-prod and its model', async () => {
    app = await startSlackApp();
    const { hint } = await answerError('model fraud-detector-prod');
    expect(hint).toBe(`${MESSAGES.askInstead('/lineage endpoint fraud-detector-prod')} ${MESSAGES.serves(['fraud-detector'], '/lineage model fraud-detector')}`);
  });

  it('no "Try /lineage search" for text search would refuse', async () => {
    app = await startSlackApp();
    expect(await answerError('fg x')).toEqual({ error: `:warning: ${MESSAGES.notFound('x', 'feature group')}`, hint: MESSAGES.helpHint });
  });

  it('an ARN that is not found is searched by its name, never by its account number', async () => {
    app = await startSlackApp();
    const { hint } = await answerError(`fg ${DEMO}:feature-group/zz-gone`);
    expect(hint).toBe(MESSAGES.trySearch('zz-gone'));
    expect(hint).not.toContain('111122223333');
  });

  it('refresh nope says that nothing is called nope', async () => {
    app = await startSlackApp();
    expect((await answerError('refresh nope')).error).toBe(`:warning: ${MESSAGES.refreshNothing('nope')}`);
  });
});
