// The /lineage subcommands: one table drives parsing, help and the console, so they cannot drift.
// Those that ask a lineage question come from the question registry (src/lineage/questions.ts);
// the rest (notices, infer, refresh, stats, help) are listed here.
import { z } from 'zod';
import type { HelpEntry } from '../blocks/index.js';
import type { Kind } from '../src/lineage/classify.js';
import { questionFor, questionSubcommands, type QuestionName, type QuestionRequest } from '../src/lineage/questions.js';
import { splitQuoted } from '../src/lineage/reference.js';
import { NOTICE_SUBCOMMANDS } from './notices/help.js';
import { decodeSlackEntities, withoutLinkLabels } from './slack-text.js';

export const COMMAND = '/lineage';

export interface Subcommand extends HelpEntry {
  names: readonly string[];
  question?: QuestionName;
  as?: 'Model' | 'Endpoint';
  /** Search text may contain spaces; names and ARNs may not. */
  freeText?: boolean;
}

/** The question subcommands in help order, then the others. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  ...questionSubcommands()
    .sort((x, y) => x.helpRank - y.helpRank)
    .map(({ helpRank: _rank, ...subcommand }) => subcommand),
  ...NOTICE_SUBCOMMANDS,
  {
    names: ['graph'],
    usage: 'graph <name|arn|s3-uri>',
    description: "The answer about an entity, with a picture of the lineage around it (PNG) in the answer's thread.",
    example: 'graph fraud-detector',
  },
  {
    names: ['infer'],
    usage: 'infer <model|training-job>',
    description:
      'Missing feature group links the bot can work out for a model or training job from S3 locations and queries, with the evidence (only you see the reply; nothing is recorded).',
    example: 'infer churn-predictor',
  },
  {
    names: ['refresh'],
    usage: 'refresh <name|arn|s3-uri>',
    description: 'Forget what the bot cached about an entity, so the next answer reads SageMaker afresh (only you see the reply).',
    example: 'refresh customers',
  },
  { names: ['stats'], usage: 'stats', description: 'Cache hits, misses and size (only you see the reply).', example: 'stats' },
  { names: ['help'], usage: 'help', description: 'This list (only you see it). Answers are posted in the channel; errors only to you.', example: 'help' },
];

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'refresh'; input: string }
  | { kind: 'infer'; model: string }
  | { kind: 'graph'; input: string }
  | { kind: 'notice'; action: 'impact' | 'deprecate'; input: string }
  | { kind: 'stats' }
  | { kind: 'question'; request: QuestionRequest }
  /** `bare`: the word came alone, so it may be a name to answer about (`/lineage customers`). */
  | { kind: 'unknown'; word: string; suggestion?: string; bare?: boolean }
  | { kind: 'missing'; subcommand: Subcommand }
  /** `spaced`: the words look like one S3 key or file name with spaces, which needs quotes. */
  | { kind: 'tooMany'; subcommand: Subcommand; spaced?: string }
  | { kind: 'tooLong'; max: number };

/** Slash-command text as Slack sends it: at most a few thousand characters of free text. */
export const MAX_COMMAND_LENGTH = 4000;
const CommandText = z.string();

/**
 * Parses the text after /lineage, as Slack sends it (`&`, `<`, `>` as entities). Empty text asks
 * for help; text over the limit is refused, not read as empty.
 */
export function parseCommandText(raw: unknown): ParsedCommand {
  const text = decodeSlackEntities(withoutLinkLabels(CommandText.catch('').parse(raw))).trim();
  if (text === '') return { kind: 'help' };
  if (text.length > MAX_COMMAND_LENGTH) return { kind: 'tooLong', max: MAX_COMMAND_LENGTH };
  // Quoted parts stay one word, without their quotes: "s3://lake/raw/claims 2024.csv", `customers`.
  const [first = '', ...rest] = splitQuoted(text);
  const word = first.toLowerCase();
  const subcommand = SUBCOMMANDS.find((s) => s.names.includes(word));
  if (!subcommand) {
    const suggestion = SUBCOMMANDS.flatMap((s) => s.names).find((name) => name.startsWith(word.slice(0, 3)));
    return { kind: 'unknown', word: first, ...(suggestion ? { suggestion } : {}), ...(rest.length === 0 && first !== '' ? { bare: true } : {}) };
  }
  if (word === 'stats') return { kind: 'stats' };
  if (word === 'help') return { kind: 'help' };
  if (rest.length === 0) return { kind: 'missing', subcommand };
  if (rest.length > 1 && !subcommand.freeText) {
    // "source s3://lake/raw/claims 2024.csv": one key with a space, not two inputs.
    const spaced = /^(s3:\/\/|https?:\/\/)/i.test(rest[0] as string) || /\.[A-Za-z0-9]+$/.test(rest[rest.length - 1] as string) ? rest.join(' ') : undefined;
    return { kind: 'tooMany', subcommand, ...(spaced ? { spaced } : {}) };
  }
  if (word === 'refresh') return { kind: 'refresh', input: rest[0] as string };
  if (word === 'infer') return { kind: 'infer', model: rest[0] as string };
  if (word === 'graph') return { kind: 'graph', input: rest[0] as string };
  if (word === 'impact' || word === 'deprecate') return { kind: 'notice', action: word, input: rest[0] as string };
  if (!subcommand.question) return { kind: 'help' };
  return {
    kind: 'question',
    request: { question: subcommand.question, input: rest.join(' '), ...(subcommand.as ? { as: subcommand.as } : {}) },
  };
}

/** The command that asks the natural question about an entity of `kind` ("/lineage model fraud-detector"). */
export function commandFor(kind: Kind, input: string): string | undefined {
  const request = questionFor(kind, input);
  return request && commandAsking(request);
}

/** The command that asks a question ("/lineage search fraud"), or undefined for one no subcommand asks. */
export function commandAsking(request: { question: string; input: string; as?: string }): string | undefined {
  const subcommand = SUBCOMMANDS.find((s) => s.question === request.question && s.as === request.as);
  return subcommand && `${COMMAND} ${subcommand.names[0] ?? ''} ${quoteIfSpaced(request.input)}`;
}

/** An input as it has to be typed: in quotes when it has spaces. */
export function quoteIfSpaced(input: string): string {
  return /\s/.test(input) ? `"${input}"` : input;
}
