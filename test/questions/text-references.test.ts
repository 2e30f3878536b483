import { describe, expect, it } from 'vitest';
import { stripMentions } from '../../commands/lineage/app-mention.js';
import { InFlight } from '../../src/in-flight.js';
import { interpretFollowUp } from '../../src/lineage/followups.js';
import { recogniseQuestions } from '../../src/lineage/recognise.js';
import { readSlackText } from '../../commands/slack-text.js';
import { parseConsoleLink } from '../../src/lineage/links.js';
import { findReferences as findReferencesInPlain } from '../../src/lineage/text-references.js';
import { demoService } from '../support/demo.js';
import type { LineageSource } from '../../src/lineage/lineage-source.js';

/** What a message names, read as the listeners read it: Slack's markup first, then the references. */
const findReferences = (slackText: string) => findReferencesInPlain(readSlackText(slackText));

describe('findReferences', () => {
  it('finds ARNs, S3 URIs, console links and candidate names, without sentence punctuation', () => {
    const found = findReferences(
      'Is <https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-detector-prod|this> ok? ' +
        'It reads s3://demo-ml-lake/raw/claims.csv? and arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers, <@U123> said.',
    );
    expect(found.arns.map((a) => a.arn)).toEqual(['arn:aws:sagemaker:us-east-1:111122223333:feature-group/customers']);
    expect(found.s3Uris).toEqual(['s3://demo-ml-lake/raw/claims.csv']);
    expect(found.consoleLinks).toEqual([
      {
        url: 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-detector-prod',
        kind: 'Endpoint',
        name: 'fraud-detector-prod',
        partition: 'aws',
        region: 'us-east-1',
      },
    ]);
    expect(found.words).not.toContain('U123');
    expect(found.words).toContain('reads');
  });

  // BUG: the words were read before decoding, so "R&D" (sent as R&amp;D) named a word "amp".
  it('reads "&" as itself, not as the word "amp"', () => {
    expect(findReferences('fraud &amp; churn-predictor, R&amp;D').words).toEqual(['fraud', 'churn-predictor']);
  });

  it('decodes the entities Slack sends in URIs and links', () => {
    const found = findReferences(
      'see s3://lake/raw/r&amp;d.csv and <https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1&amp;x=1#/models/churn-predictor>',
    );
    expect(found.s3Uris).toEqual(['s3://lake/raw/r&d.csv']);
    expect(found.consoleLinks).toEqual([
      {
        url: 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1&x=1#/models/churn-predictor',
        kind: 'Model',
        name: 'churn-predictor',
        partition: 'aws',
        region: 'us-east-1',
      },
    ]);
  });

  it('reads the console routes for feature groups, models and endpoints, and nothing else', () => {
    const base = 'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#';
    expect(parseConsoleLink(`${base}/feature-store/feature-groups/claims-v2/details`)).toMatchObject({ kind: 'FeatureGroup', name: 'claims-v2' });
    expect(parseConsoleLink(`${base}/models/churn-predictor`)).toMatchObject({ kind: 'Model', name: 'churn-predictor' });
    expect(parseConsoleLink(`${base}/notebook-instances/x`)).toBeUndefined();
    expect(parseConsoleLink('https://evil.example/sagemaker/home#/models/x')).toBeUndefined();
    expect(parseConsoleLink('not a url')).toBeUndefined();
  });
});

describe('recognise', () => {
  it('turns known names in a sentence into questions, explicit references first', async () => {
    const requests = await recogniseQuestions(demoService().lineageSource, readSlackText('claims-v2 vs s3://demo-ml-lake/raw/customers.csv for churn-predictor, and nothing else'), 5);
    expect(requests).toEqual([
      { question: 'builtFrom', input: 's3://demo-ml-lake/raw/customers.csv' },
      { question: 'consumers', input: 'claims-v2' },
      { question: 'trail', input: 'churn-predictor', as: 'Model' },
    ]);
  });

  it('a question asked of the bot picks the question by its words; someone else\'s message keeps the kind\'s first question', async () => {
    const source = demoService().lineageSource;
    const asked = readSlackText('What does fraud-detector depend on?');
    expect(await recogniseQuestions(source, asked, 1, { byWords: true })).toEqual([{ question: 'dependencies', input: 'fraud-detector', as: 'Model' }]);
    expect(await recogniseQuestions(source, asked, 1)).toEqual([{ question: 'trail', input: 'fraud-detector', as: 'Model' }]);
    expect(await recogniseQuestions(source, readSlackText('where does customers come from?'), 1, { byWords: true })).toEqual([{ question: 'upstream', input: 'customers' }]);
    expect(await recogniseQuestions(source, readSlackText('tell me about churn-predictor'), 1, { byWords: true })).toEqual([{ question: 'trail', input: 'churn-predictor', as: 'Model' }]);
  });

  it('does not read a word inside the entity\'s own name as the question ("raw-events" asks nothing about raw data)', async () => {
    const source = { findNamed: async () => [{ kind: 'FeatureGroup' as const, name: 'raw-events' }] } as unknown as LineageSource;
    expect(await recogniseQuestions(source, readSlackText('tell me about raw-events'), 1, { byWords: true })).toEqual([{ question: 'consumers', input: 'raw-events' }]);
    expect(await recogniseQuestions(source, readSlackText('which pipelines build raw-events?'), 1, { byWords: true })).toEqual([{ question: 'upstream', input: 'raw-events' }]);
  });
});

describe('interpretFollowUp', () => {
  const fg = { kind: 'FeatureGroup' as const, input: 'customers' };
  const model = { kind: 'Model' as const, input: 'fraud-detector' };
  it.each([
    [fg, 'which endpoints?', 'consumers'],
    [fg, 'upstream', 'upstream'],
    [fg, 'where does it come from', 'upstream'],
    [fg, 'owners', 'owners'],
    [fg, 'features', 'features'],
    [model, 'features', 'dependencies'],
    [model, 'which endpoints?', 'trail'],
    [model, 'who owns it', 'owners'],
  ] as const)('%o "%s" → %s', (subject, text, question) => {
    expect(interpretFollowUp(text, subject)?.question).toBe(question);
  });

  it('keeps the thread subject and reads endpoints as endpoints', () => {
    expect(interpretFollowUp('features', { kind: 'Endpoint', input: 'fraud-detector-prod' })).toEqual({
      question: 'dependencies',
      input: 'fraud-detector-prod',
      as: 'Endpoint',
    });
    expect(interpretFollowUp('hello there', fg)).toBeUndefined();
  });

  it('strips only the bot’s own mention', () => {
    expect(stripMentions('<@UBOT> ask <@U2> about fg customers', 'UBOT')).toBe('ask <@U2> about fg customers');
  });
});

describe('InFlight', () => {
  it('drains finished work and reports work that outlives the timeout', async () => {
    const inFlight = new InFlight();
    let release!: () => void;
    void inFlight.track(new Promise<void>((resolve) => (release = resolve)));
    void inFlight.track(Promise.reject(new Error('failed work still counts as finished')).catch(() => {}));
    expect(await inFlight.drain(20)).toBe(false);
    release();
    expect(await inFlight.drain(1_000)).toBe(true);
    expect(inFlight.size).toBe(0);
  });
});
