// Finds what a message talks about: SageMaker ARNs, S3 URIs and links, SageMaker console links,
// and words that may be entity names. Pure text work on plain text (the chat layer reads its own
// markup first: commands/slack-text.ts); resolving the words is the caller's job.
import { parseConsoleLink, s3UriFromUrl, type ConsoleLink } from './links.js';
import { parseArn, type ParsedArn } from './reference.js';

/** A message as plain text, and the links its chat app marked as links (already separated from their labels). */
export interface MessageText {
  plain: string;
  links: readonly string[];
}

export interface FoundReferences {
  arns: ParsedArn[];
  s3Uris: string[];
  consoleLinks: ConsoleLink[];
  /** Words that could be SageMaker names (letters, digits, hyphens, underscores), to match against known names. */
  words: string[];
}

/** Enough for a long message; each word is only looked up in the known-names index. */
const MAX_WORDS = 200;

/** "see s3://b/raw/claims.csv?" — sentence punctuation after a URI or ARN is not part of it. */
function withoutTrailingPunctuation(text: string): string {
  return text.replace(/[.,;:!?)\]]+$/, '');
}

export function findReferences({ plain, links: marked }: MessageText): FoundReferences {
  // Links typed where the chat app did not mark them (the console, some clients).
  const bare = [...plain.matchAll(/\bhttps?:\/\/\S+/g)].map((m) => withoutTrailingPunctuation(m[0]));
  const links = [...new Set([...marked, ...bare])];
  const arns = [...new Set([...plain.matchAll(/\barn:[\w-]+:sagemaker:[\w-]*:\d{12}:[\w-]+\/[^\s,;)'"`<>]+/g)].map((m) => m[0]))]
    .map((arn) => parseArn(withoutTrailingPunctuation(arn)))
    .filter((arn): arn is ParsedArn => arn !== undefined);
  const s3Uris = [
    ...new Set([
      ...links.filter((l) => l.startsWith('s3://')),
      ...links.flatMap((l) => s3UriFromUrl(l) ?? []),
      ...[...plain.matchAll(/\bs3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](?:\/[^\s,;)'"`]*)?/g)].map((m) => m[0])]),
  ].map(withoutTrailingPunctuation);
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
