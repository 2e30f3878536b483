// What people type: a SageMaker ARN, an S3 URI (or an S3 link), a SageMaker console link or a
// plain name, perhaps in quotes or backticks. Parsed once, here.
import type { AccountScope } from './account-scope.js';
import { BadInput } from './errors.js';
import { parseConsoleLink, s3UriFromUrl, type ConsoleLink } from './links.js';

/** SageMaker ARN resource types the bot understands. */
export const LINEAGE_RESOURCE_TYPES = ['artifact', 'context', 'action', 'experiment-trial-component'] as const;

export interface ParsedArn {
  arn: string;
  partition: string;
  region: string;
  account: string;
  /** e.g. "feature-group", "model", "artifact". */
  resourceType: string;
  /** Everything after the first "/" (model packages keep "name/version"). */
  resourceName: string;
}

export type { AccountScope } from './account-scope.js';

export type Reference =
  | { form: 'arn'; parsed: ParsedArn }
  | { form: 's3'; uri: string }
  | { form: 'console'; link: ConsoleLink }
  | { form: 'name'; name: string };

const ARN_PATTERN = /^arn:(aws(?:-[a-z]+)*):sagemaker:([a-z0-9-]*):(\d{12}):([a-z-]+)\/(.+)$/;
const S3_PATTERN = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
/**
 * SageMaker names: letters, digits, hyphens (feature groups also allow underscores), 1–120 chars.
 * Slashes are allowed for the end of a data source's path ("raw/claims.csv"), and so are spaces,
 * which only a data source's file name can have ("claims 2024.csv", quoted when typed).
 */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_. -]{0,119}(\/[A-Za-z0-9_. -]{1,255})*$/;

/** Opening quote → the closing quotes it may end with (keyboards and Slack turn " into “ ”). */
const QUOTE_PAIRS: Readonly<Record<string, readonly string[]>> = {
  '"': ['"', '”', '“'],
  '“': ['”', '“', '"'],
  "'": ["'", '’', '‘'],
  '‘': ['’', '‘', "'"],
  '`': ['`'],
};

/** Text without the quotes or backticks around it (`customers`, "customers", ```customers```). */
export function unquote(text: string): string {
  let current = text.trim();
  for (;;) {
    const closes = QUOTE_PAIRS[current[0] ?? ''];
    const last = current[current.length - 1] ?? '';
    if (current.length < 2 || !closes?.includes(last)) return current;
    current = current.slice(1, -1).trim();
  }
}

/**
 * Splits text into words, keeping a quoted part together ("s3://lake/raw/claims 2024.csv") and
 * taking its quotes off. A quote only opens at the start of a word and closes at the end of one,
 * so an apostrophe inside a word (O'Brien) is just a letter.
 */
export function splitQuoted(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const closes = QUOTE_PAIRS[text[i] as string];
    if (closes) {
      let end = -1;
      for (let j = text.length - 1; j > i; j--) {
        // The first closing quote that ends a word, searching from the quote's own word onwards.
        if (closes.includes(text[j] as string) && (j + 1 === text.length || /\s/.test(text[j + 1] as string))) end = j;
      }
      if (end !== -1) {
        words.push(unquote(text.slice(i, end + 1)));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j] as string)) j++;
    words.push(text.slice(i, j));
    i = j;
  }
  return words.filter((word) => word !== '');
}

export function parseArn(text: string): ParsedArn | undefined {
  const match = ARN_PATTERN.exec(text);
  if (!match) return undefined;
  const [, partition, region, account, resourceType, resourceName] = match as unknown as [string, string, string, string, string, string];
  return { arn: text, partition, region, account, resourceType, resourceName };
}

export function isLineageArn(parsed: ParsedArn): boolean {
  return (LINEAGE_RESOURCE_TYPES as readonly string[]).includes(parsed.resourceType);
}

/** A pipeline execution ARN (arn:…:pipeline/NAME/execution/ID): its pipeline and execution id. */
export function pipelineExecution(parsed: ParsedArn): { pipeline: string; execution: string } | undefined {
  if (parsed.resourceType !== 'pipeline') return undefined;
  const match = /^([^/]+)\/execution\/([^/]+)$/.exec(parsed.resourceName);
  return match ? { pipeline: match[1] as string, execution: match[2] as string } : undefined;
}

/** The AWS partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** Where an ARN points. */
export function scopeOfArn(parsed: ParsedArn): AccountScope {
  return { partition: parsed.partition, region: parsed.region, account: parsed.account };
}

/**
 * Whether `where` lies outside `home`: another partition or region, or another account when both
 * are known. Parts `where` does not say (a console link without a region) are not held against it.
 */
export function isForeign(where: Partial<AccountScope>, home: AccountScope): boolean {
  if (where.partition !== undefined && where.partition !== home.partition) return true;
  if (where.region !== undefined && where.region !== '' && where.region !== home.region) return true;
  return where.account !== undefined && home.account !== undefined && where.account !== home.account;
}

/** Parses user input, rejecting what cannot be an ARN, an S3 URI or link, a console link or a SageMaker name. */
export function parseReference(input: string): Reference {
  // A link or name in angle brackets, with any label after a "|": how chat and mail clients wrap a
  // pasted link (the Slack layer, commands/, has already decoded its entities).
  const text = unquote(input).replace(/^<([^|>]*)(?:\|[^>]*)?>$/, '$1').trim();
  if (text === '') throw new BadInput('Give a name, an ARN or an S3 URI.');
  if (text.startsWith('arn:')) {
    const parsed = parseArn(text);
    if (!parsed) {
      throw new BadInput(
        `"${text}" is not a SageMaker ARN.`,
        'A SageMaker ARN looks like arn:aws:sagemaker:us-east-1:111122223333:model/my-model',
      );
    }
    return { form: 'arn', parsed };
  }
  if (/^https?:\/\//i.test(text)) {
    const link = parseConsoleLink(text);
    if (link) return { form: 'console', link };
    const uri = s3UriFromUrl(text);
    if (uri && S3_PATTERN.test(uri)) return { form: 's3', uri };
    throw new BadInput(
      `I can't read the link "${text}".`,
      'Paste a SageMaker console link to a feature group, model or endpoint, an S3 object or folder link, an S3 URI or an ARN.',
    );
  }
  if (/^s3:\/\//i.test(text)) {
    const uri = `s3://${text.slice('s3://'.length)}`;
    if (!S3_PATTERN.test(uri)) throw new BadInput(`"${text}" is not a valid S3 URI.`, 'An S3 URI looks like s3://bucket/path/file.csv');
    return { form: 's3', uri };
  }
  if (!NAME_PATTERN.test(text)) {
    throw new BadInput(
      `"${text}" is not a SageMaker name.`,
      'Names use letters, digits, hyphens and underscores (up to 120 characters); a data source may be named by the end of its path.',
    );
  }
  return { form: 'name', name: text };
}

/** The resource name at the end of an ARN ("arn:…:feature-group/customers" → "customers"). */
export function nameFromArn(arn: string): string | undefined {
  return parseArn(arn)?.resourceName;
}
