// Finds what a message talks about: SageMaker ARNs, S3 URIs, SageMaker console links, and words
// that may be entity names. Pure text work; resolving the words is the caller's job.
import { parseArn, type ParsedArn } from './reference.js';

export type ConsoleLinkKind = 'FeatureGroup' | 'Model' | 'Endpoint';

export interface ConsoleLink {
  url: string;
  kind: ConsoleLinkKind;
  name: string;
}

export interface FoundReferences {
  arns: ParsedArn[];
  s3Uris: string[];
  consoleLinks: ConsoleLink[];
  /** Words that could be SageMaker names (letters, digits, hyphens, underscores), to match against known names. */
  words: string[];
}

const CONSOLE_SECTIONS: Record<string, ConsoleLinkKind> = {
  'feature-groups': 'FeatureGroup',
  models: 'Model',
  endpoints: 'Endpoint',
};

/**
 * A SageMaker console link to a feature group, model or endpoint, e.g.
 * https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-detector-prod
 * https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/feature-store/feature-groups/customers/details
 */
export function parseConsoleLink(url: string): ConsoleLink | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!/(^|\.)console\.aws\.amazon\.com$/.test(parsed.hostname) || !parsed.pathname.startsWith('/sagemaker')) return undefined;
  const route = `${parsed.pathname}${parsed.hash}`;
  const match = /\/(feature-groups|models|endpoints)\/([A-Za-z0-9][A-Za-z0-9_-]{0,119})(?:[/?]|$)/.exec(route);
  if (!match) return undefined;
  return { url, kind: CONSOLE_SECTIONS[match[1] as string] as ConsoleLinkKind, name: decodeURIComponent(match[2] as string) };
}

/**
 * Slack sends message and command text with `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;` (a
 * literal `<` would start its markup). Decoded once what is meant has been picked out, so an S3
 * key with `&` in it is looked up as it is named.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Enough for a long message; each word is only looked up in the known-names index. */
const MAX_WORDS = 200;

/** "see s3://b/raw/claims.csv?" — sentence punctuation after a URI or ARN is not part of it. */
function withoutTrailingPunctuation(text: string): string {
  return text.replace(/[.,;:!?)\]]+$/, '');
}

export function findReferences(text: string): FoundReferences {
  // Slack sends links as <url> or <url|label>; mentions as <@U…>, channels as <#C…|name>.
  const links = [...text.matchAll(/<((?:https?|s3):\/\/[^|>\s]+)(?:\|[^>]*)?>/g)].map((m) => decodeSlackEntities(m[1] as string));
  const plain = text.replace(/<[^>]*>/g, ' ');
  const arns = [...new Set([...plain.matchAll(/\barn:[\w-]+:sagemaker:[\w-]*:\d{12}:[\w-]+\/[^\s,;)'"`<>]+/g)].map((m) => m[0]))]
    .map((arn) => parseArn(withoutTrailingPunctuation(arn)))
    .filter((arn): arn is ParsedArn => arn !== undefined);
  const s3Uris = [
    ...new Set([...links.filter((l) => l.startsWith('s3://')), ...[...plain.matchAll(/\bs3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](?:\/(?:&(?:amp|lt|gt);|[^\s,;)'"`<>])*)?/g)].map((m) => m[0])]),
  ].map((uri) => withoutTrailingPunctuation(decodeSlackEntities(uri)));
  const consoleLinks = links.map(parseConsoleLink).filter((link): link is ConsoleLink => link !== undefined);
  const withoutRefs = plain.replace(/\barn:\S+/g, ' ').replace(/\bs3:\/\/\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  const words = [
    ...new Set(
      [...withoutRefs.matchAll(/[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]/g)]
        .map((m) => m[0])
        .filter((word) => word.length >= 3 && word.length <= 120),
    ),
  ].slice(0, MAX_WORDS);
  return { arns, s3Uris, consoleLinks, words };
}
