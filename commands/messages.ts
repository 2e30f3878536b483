// Every user-facing error message, one per error code, exported so tests assert on them.
// Text from the user or from data is escaped here; nothing internal (stack, AWS request id) is shown.
import { code, escape, plural } from '../blocks/text.js';
import type { CacheStats } from '../src/lineage/cache.js';
import { withArticle } from '../src/lineage/errors.js';
import type { AccountScope } from '../src/lineage/reference.js';
import { COMMAND, type Subcommand } from './subcommands.js';

/** "account 111122223333 in us-east-1", with the partition when it is not the one compared with. */
function place(where: Partial<AccountScope>, other: Partial<AccountScope>): string {
  const parts = [
    ...(where.account ? [`account ${where.account}`] : []),
    ...(where.region ? [`${where.account ? 'in ' : 'region '}${where.region}`] : []),
    ...(where.partition && where.partition !== other.partition ? [`(partition ${where.partition})`] : []),
  ];
  return parts.length > 0 ? parts.join(' ') : 'another account';
}

export const MESSAGES = {
  unknownSubcommand: (word: string, suggestion?: string) =>
    `I don't know the subcommand ${code(word)}.` + (suggestion ? ` Did you mean ${code(`${COMMAND} ${suggestion}`)}?` : ''),
  missingArgument: (subcommand: Subcommand) => `${code(`${COMMAND} ${subcommand.names[0] ?? ''}`)} needs something to look up.`,
  tooManyArguments: (subcommand: Subcommand) => `${code(`${COMMAND} ${subcommand.names[0] ?? ''}`)} takes one name, ARN or URI at a time.`,
  quoteSpaces: (subcommand: Subcommand, spaced: string) =>
    `If that is one S3 key or file name with spaces, put it in quotes: ${code(`${COMMAND} ${subcommand.names[0] ?? ''} "${spaced}"`)}`,
  unknownWord: (word: string) => `${code(word)} is not a subcommand, and I couldn't find anything called that.`,
  tooLong: (max: number) => `That is too long to be a question: ${max} characters at most.`,
  usage: (subcommand: Subcommand) => `Usage: ${code(`${COMMAND} ${subcommand.usage}`)}, e.g. ${code(`${COMMAND} ${subcommand.example}`)}`,
  helpHint: `Type ${code(`${COMMAND} help`)} to see what you can ask.`,
  notFound: (input: string, lookedFor: string) => `I couldn't find ${escape(withArticle(lookedFor))} called ${code(input)}.`,
  didYouMean: (suggestions: readonly string[]) => `Did you mean ${suggestions.map((s) => code(s)).join(', ')}?`,
  trySearch: (text: string) => `Try ${code(`${COMMAND} search ${text}`)}.`,
  askInstead: (command: string) => `Ask ${code(command)} instead.`,
  servedBy: (endpoints: readonly string[], command?: string) =>
    endpoints.length === 0
      ? 'No endpoint serves it.'
      : `It is served by ${endpoints.length === 1 ? 'endpoint' : 'endpoints'} ${endpoints.map((e) => code(e)).join(', ')}` +
        (command ? `: ${code(command)}.` : '.'),
  serves: (models: readonly string[], command?: string) =>
    models.length === 0
      ? 'It serves no model that lineage records.'
      : `It serves ${models.length === 1 ? 'model' : 'models'} ${models.map((m) => code(m)).join(', ')}` + (command ? `: ${code(command)}.` : '.'),
  foreign: (input: string, where: Partial<AccountScope>, home: AccountScope) =>
    `${code(input)} belongs to ${escape(place(where, home))}, but I read ${escape(place(home, where))}, so I can't answer about it.`,
  foreignHint: 'Ask the lineage bot of that account and region, or run one with AWS_REGION and credentials for it.',
  refreshNothing: (input: string) => `Nothing is called ${code(input)}, so there is nothing to refresh.`,
  ambiguous: (input: string, candidates: readonly string[]) =>
    `${code(input)} matches several entities: ${candidates.map((c) => code(c)).join(', ')}. Use the full URI or ARN.`,
  wrongKind: (input: string, actual: string, expected: readonly string[]) =>
    `${code(input)} is ${escape(withArticle(actual))}, not ${escape(withArticle(expected.join(' or ')))}.`,
  noLineage: (kind: string, name: string) =>
    `The ${escape(kind)} ${code(name)} exists, but no lineage is recorded for it yet, so I can't tell what it is connected to.`,
  noLineageHint: 'Lineage between feature groups and training jobs is recorded by your pipelines (for example with ml-lineage-helper).',
  badInput: (message: string) => escape(message),
  sourceUnavailable: 'The lineage source is not answering right now. Try again in a minute.',
  throttled: 'SageMaker is throttling lineage requests right now. Try again in a minute.',
  notAuthorized: (permission?: string) =>
    permission
      ? `The bot is not allowed to read this lineage: its AWS role lacks ${code(permission)}.`
      : 'The bot is not allowed to read this lineage: its AWS role lacks a SageMaker permission.',
  credentialsRejected:
    'The bot could not sign in to AWS: its credentials are missing, expired or not accepted. An administrator has to fix them (details are in the log).',
  notAuthorizedHint: 'Ask your AWS administrator to grant the permission to the bot’s role (see the README).',
  invalidSnapshot: 'The lineage snapshot the bot reads is invalid; an administrator has to fix it (details are in the log).',
  internal: 'Something went wrong while answering. It has been logged; try again, or ask in a different way.',
  unknownButton: 'That button is no longer understood. Ask again with a fresh command.',
  staleButton: 'That button is from an older version of this message and no longer does anything. Ask again with a fresh command.',
  noticesNeedSlack: 'Change notices reach owners in Slack: connect the bot to a workspace to use impact and deprecate.',
  inferNeedsSageMaker: 'Inferring links reads training jobs from SageMaker: it works when the bot runs with LINEAGE_SOURCE=sagemaker.',
  inferApply: (subject: string, count: number) =>
    count === 0
      ? 'Nothing to record.'
      : `To record ${count === 1 ? 'it' : 'them'}: ${code(`lineage-bot infer --apply ${subject}`)} (for a model, ${code(`--model ${subject}`)}; needs write permissions, see docs/recording.md).`,
  refreshed: (name: string, dropped: number) =>
    `Refreshed ${code(name)}: ${dropped} cached ${dropped === 1 ? 'entry' : 'entries'} dropped; the next answer reads SageMaker afresh.`,
  stats: (s: CacheStats, source: string) => {
    const lookups = s.hits + s.misses;
    const rate = lookups === 0 ? 'no lookups yet' : `${Math.round((100 * s.hits) / lookups)}% hit rate`;
    return (
      `*Lineage cache* (${escape(source)}): ${plural(s.hits, 'hit', 'hits')}, ${plural(s.misses, 'miss', 'misses')} (${rate}); ` +
      `${plural(s.staleHits, 'stale answer', 'stale answers')} served while refreshing, ` +
      `${plural(s.coalesced, 'coalesced request', 'coalesced requests')}; ${plural(s.entries, 'entry', 'entries')}, ${(s.bytes / 1024 / 1024).toFixed(1)} MB; ${plural(s.evictions, 'eviction', 'evictions')}.`
    );
  },
} as const;

export const HINTS = {
  nothingRecognised:
    'I found nothing I know in that message: no SageMaker ARN, S3 URI, SageMaker console link, or name of a feature group, model or endpoint.',
  followUp: (name: string, options: readonly string[]) =>
    options.length > 0
      ? `This thread is about ${code(name)}. Ask me, for example: ${options.map((o) => code(o)).join(', ')}.`
      : `This thread is about ${code(name)}; ask with a full command, e.g. ${code(`${COMMAND} help`)}.`,
  mention: `Ask me like the slash command, e.g. ${code('@Lineage fg customers')}, or mention me in the thread of one of my answers.`,
  /** A follow-up in a thread whose subject the bot cannot look up right now (its store is down). */
  threadUnavailable: `I cannot recall what this thread is about right now. Ask with the full question, e.g. ${code('@Lineage fg customers')}.`,
} as const;
