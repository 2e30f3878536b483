// What people paste: quoted names, S3 object and console links, SageMaker console links with their
// region, ARNs of other partitions. src/lineage/reference.ts and src/lineage/links.ts.
import { describe, expect, it } from 'vitest';
import { parseConsoleLink, s3UriFromUrl } from '../../src/lineage/links.js';
import { isForeign, parseReference, partitionOf, pipelineExecution, parseArn, splitQuoted, unquote } from '../../src/lineage/reference.js';

describe('unquote and splitQuoted', () => {
  it.each([
    ['`customers`', 'customers'],
    ['"customers"', 'customers'],
    ["'customers'", 'customers'],
    ['“customers”', 'customers'],
    ['‘customers’', 'customers'],
    ['```customers```', 'customers'],
    ['customers', 'customers'],
    ["O'Brien", "O'Brien"],
    ['"half', '"half'],
  ])('unquote(%s) = %s', (text, expected) => {
    expect(unquote(text)).toBe(expected);
  });

  it('keeps a quoted part with spaces as one word, and an apostrophe inside a word as a letter', () => {
    expect(splitQuoted('source "s3://lake/raw/claims 2024.csv"')).toEqual(['source', 's3://lake/raw/claims 2024.csv']);
    expect(splitQuoted('source “raw/claims 2024.csv”')).toEqual(['source', 'raw/claims 2024.csv']);
    expect(splitQuoted('fg `customers`')).toEqual(['fg', 'customers']);
    expect(splitQuoted("search O'Brien claims")).toEqual(['search', "O'Brien", 'claims']);
    expect(splitQuoted('  fg   customers  ')).toEqual(['fg', 'customers']);
    expect(splitQuoted('fg "unclosed name')).toEqual(['fg', '"unclosed', 'name']);
  });
});

describe('S3 links', () => {
  it.each([
    ['https://demo-ml-lake.s3.amazonaws.com/raw/claims.csv', 's3://demo-ml-lake/raw/claims.csv'],
    ['https://demo-ml-lake.s3.us-east-1.amazonaws.com/raw/claims.csv', 's3://demo-ml-lake/raw/claims.csv'],
    ['https://demo-ml-lake.s3-eu-west-1.amazonaws.com/raw/claims.csv', 's3://demo-ml-lake/raw/claims.csv'],
    ['https://my.dotted.bucket.s3.eu-west-1.amazonaws.com/a/b.csv', 's3://my.dotted.bucket/a/b.csv'],
    ['https://s3.us-east-1.amazonaws.com/demo-ml-lake/raw/claims.csv', 's3://demo-ml-lake/raw/claims.csv'],
    // The console's Object URL writes a space as "+", a "+" as %2B.
    ['https://demo-ml-lake.s3.us-east-1.amazonaws.com/raw/claims+2024%2Bv2.csv', 's3://demo-ml-lake/raw/claims 2024+v2.csv'],
    ['https://s3.console.aws.amazon.com/s3/object/demo-ml-lake?region=us-east-1&prefix=raw/claims.csv', 's3://demo-ml-lake/raw/claims.csv'],
    ['https://us-east-1.console.aws.amazon.com/s3/object/demo-ml-lake?region=us-east-1&bucketType=general&prefix=raw%2Fclaims+2024.csv', 's3://demo-ml-lake/raw/claims 2024.csv'],
    ['https://us-east-1.console.aws.amazon.com/s3/buckets/demo-ml-lake?region=us-east-1&prefix=raw/&showversions=false', 's3://demo-ml-lake/raw/'],
    ['https://us-east-1.console.aws.amazon.com/s3/buckets/demo-ml-lake', 's3://demo-ml-lake'],
  ])('%s names %s', (url, uri) => {
    expect(s3UriFromUrl(url)).toBe(uri);
    expect(parseReference(url)).toEqual({ form: 's3', uri });
  });

  it('other links are not S3', () => {
    expect(s3UriFromUrl('https://example.com/raw/claims.csv')).toBeUndefined();
    expect(s3UriFromUrl('https://s3.evil.example/x/y')).toBeUndefined();
    expect(() => parseReference('https://example.com/raw/claims.csv')).toThrow('I can\'t read the link "https://example.com/raw/claims.csv".');
  });
});

describe('SageMaker console links', () => {
  const route = '/sagemaker/home?region=eu-west-1#/feature-store/feature-groups/customers/details';
  it('say which region (and, in a multi-session console, which account) they point into', () => {
    expect(parseConsoleLink(`https://eu-west-1.console.aws.amazon.com${route}`)).toMatchObject({ kind: 'FeatureGroup', name: 'customers', partition: 'aws', region: 'eu-west-1' });
    expect(parseConsoleLink(`https://console.aws.amazon.com${route}`)).toMatchObject({ region: 'eu-west-1' });
    expect(parseConsoleLink(`https://999999999999-abcd1234.eu-west-1.console.aws.amazon.com${route}`)).toMatchObject({ account: '999999999999', region: 'eu-west-1' });
    expect(parseConsoleLink('https://cn-north-1.console.amazonaws.cn/sagemaker/home?region=cn-north-1#/models/m1')).toMatchObject({ partition: 'aws-cn', region: 'cn-north-1', kind: 'Model' });
    expect(parseConsoleLink('https://console.aws.amazon.com/sagemaker/home#/endpoints/e1')).toMatchObject({ kind: 'Endpoint', name: 'e1' });
    expect(parseConsoleLink('https://console.aws.amazon.com/sagemaker/home#/endpoints/e1')?.region).toBeUndefined();
  });

  it('are a reference of their own, also as Slack wraps them (<url|label>)', () => {
    const url = `https://eu-west-1.console.aws.amazon.com${route}`;
    expect(parseReference(`<${url}|customers>`)).toMatchObject({ form: 'console', link: { name: 'customers', region: 'eu-west-1' } });
  });
});

describe('ARNs and names', () => {
  it('reads every partition, and pipeline executions', () => {
    expect(parseArn('arn:aws-cn:sagemaker:cn-north-1:111122223333:feature-group/customers')).toMatchObject({ partition: 'aws-cn' });
    expect(parseArn('arn:aws-iso-b:sagemaker:us-isob-east-1:111122223333:model/m')).toMatchObject({ partition: 'aws-iso-b' });
    const execution = parseArn('arn:aws:sagemaker:us-east-1:111122223333:pipeline/fraud-features/execution/8f3k2q1x7b0m');
    expect(execution && pipelineExecution(execution)).toEqual({ pipeline: 'fraud-features', execution: '8f3k2q1x7b0m' });
    expect(pipelineExecution(parseArn('arn:aws:sagemaker:us-east-1:111122223333:pipeline/fraud-features')!)).toBeUndefined();
  });

  it('takes names in quotes or backticks, and a data source file name with spaces', () => {
    expect(parseReference('`customers`')).toEqual({ form: 'name', name: 'customers' });
    expect(parseReference('"raw/claims 2024.csv"')).toEqual({ form: 'name', name: 'raw/claims 2024.csv' });
    expect(parseReference('S3://demo-ml-lake/raw/claims.csv')).toEqual({ form: 's3', uri: 's3://demo-ml-lake/raw/claims.csv' });
  });

  it('knows the partition of a region', () => {
    expect(['us-east-1', 'cn-north-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1'].map(partitionOf)).toEqual(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b']);
  });

  it('tells a foreign place from home; what a link does not say is not held against it', () => {
    const home = { partition: 'aws', region: 'us-east-1', account: '111122223333' };
    expect(isForeign({ partition: 'aws', region: 'us-east-1', account: '111122223333' }, home)).toBe(false);
    expect(isForeign({ partition: 'aws', region: 'eu-west-1', account: '111122223333' }, home)).toBe(true);
    expect(isForeign({ partition: 'aws', region: 'us-east-1', account: '999999999999' }, home)).toBe(true);
    expect(isForeign({ partition: 'aws-cn', region: 'us-east-1', account: '111122223333' }, home)).toBe(true);
    expect(isForeign({ partition: 'aws' }, home)).toBe(false);
    expect(isForeign({ partition: 'aws', region: 'us-east-1', account: '999999999999' }, { partition: 'aws', region: 'us-east-1' })).toBe(false);
  });
});
