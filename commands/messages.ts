// Every user-facing message, one per error code or situation, exported so tests assert on them:
// the lineage answers' (MESSAGES, HINTS) and the notices' (NOTICE_MESSAGES).
// Text from the user or from data is escaped here; nothing internal (stack, AWS request id) is shown.
import { code, escape, plural } from '../blocks/text.js';
import type { CacheStats } from '../src/lineage/cache.js';
import { withArticle } from '../src/lineage/errors.js';
import type { AccountScope } from '../src/lineage/reference.js';
import type { InvalidNoticeProblem } from '../src/notices/errors.js';
import { MAX_DAYS_AHEAD } from '../src/notices/schedule.js';
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
  pictureNeedsScope:
    'The answer is above, but the picture could not be posted: the bot lacks the `files:write` scope. A workspace admin has to add it to the app (manifest.yml lists it) and reinstall.',
  pictureNeedsChannel: 'A picture is posted into a channel or its threads: press Graph under an answer in a channel.',
  pictureSentDirect: 'Only you saw that answer, so its picture is in your direct messages with the bot.',
  pictureFailed: 'The answer is above, but the picture could not be drawn or posted. It has been logged; try again later.',
  inferNeedsSageMaker: 'Inferring links reads training jobs from SageMaker: it works when the bot runs with LINEAGE_SOURCE=sagemaker.',
  inferApply: (subject: string, count: number) =>
    count === 0
      ? 'Nothing to record.'
      : `To record ${count === 1 ? 'it' : 'them'}: ${code(`lineage-bot infer --apply ${subject}`)} (for a model, ${code(`--model ${subject}`)}; needs write permissions, see docs/recording.md).`,
  inferRecordHint: (subject: string) =>
    `The feature group's owners and the lineage admins can record a link with its button (the bot's role needs iam/record.json), or run ${code(`lineage-bot infer --apply ${subject}`)}.`,
  recordLinkNotAllowed: 'record lineage links of',
  recordLinkNotAllowedHint: 'Ask one of them to press the button, or have the owner tag of the feature group updated. Nothing was written.',
  recordLinkAlready: 'That link is recorded already: nothing new was written.',
  recordLinkGone: 'That link is no longer proposed (the training job or its channel changed), so nothing was written. Ask again with a fresh `infer`.',
  recordLinkUnavailable: 'Recording from Slack is not set up here: it needs LINEAGE_SOURCE=sagemaker and a Slack workspace. Nothing was written.',
  recordLinkNotAuthorized: (permission?: string) =>
    `The bot is not allowed to record lineage: its AWS role lacks ${permission ? code(permission) : 'a SageMaker write permission'}.`,
  recordLinkNotAuthorizedHint: 'Recording from Slack needs iam/record.json attached to the bot’s role (see the README).',
  recordLinkIncomplete: (reason: string, written: string) =>
    `Recording stopped part-way: ${reason} ${written === 'nothing' ? 'Nothing was written' : `${written} had been written`}; press *Record this link* again to continue (nothing is recorded twice).`,
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
  /** The assistant pane's first message: what it answers, asked as a mention would be (no @ needed). */
  assistantGreeting: `Ask me about ML lineage: what a model or endpoint depends on, who uses a feature group, what builds it, or type ${code('help')}.`,
  /** The greeting's second line when Slack would not show the suggested prompts. */
  assistantTry: (questions: readonly string[]) => `For example: ${questions.join(' · ')}`,
  /** A follow-up in a thread whose subject the bot cannot look up right now (its store is down). */
  threadUnavailable: `I cannot recall what this thread is about right now. Ask with the full question, e.g. ${code('@Lineage fg customers')}.`,
} as const;

const mention = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : code(id));
const channelMention = (id: string) => (/^[CG][A-Z0-9]{2,}$/.test(id) ? `<#${id}>` : code(id));

export const NOTICE_MESSAGES = {
  missingFeatureGroup: (subcommand: string) => `${code(`${COMMAND} ${subcommand}`)} needs a feature group, e.g. ${code(`${COMMAND} ${subcommand} customers`)}.`,
  featureGroupTooLong: (max: number) => `That is too long to be a feature group name or ARN (${max} characters at most).`,
  oneFeatureGroup: (subcommand: string) => `${code(`${COMMAND} ${subcommand}`)} takes one feature group (a name or an ARN).`,
  notAllowed: (featureGroup: string, owners: readonly string[], admins: readonly string[], action = 'announce a change to') => {
    const who = [
      ...(owners.length > 0 ? [`the owners of ${code(featureGroup)} (${owners.map((o) => (/^[UW][A-Z0-9]{2,}$/.test(o) ? mention(o) : code(o))).join(', ')})`] : []),
      ...(admins.length > 0 ? [`the lineage admins (${admins.map(mention).join(', ')})`] : []),
    ];
    return who.length > 0
      ? `Only ${who.join(' and ')} can ${action} feature group ${code(featureGroup)}.`
      : `Nobody can ${action} feature group ${code(featureGroup)}: it has no owner tag and no lineage admins are configured (LINEAGE_ADMINS).`;
  },
  notAllowedHint: 'Ask one of them to announce it, or have the owner tag of the feature group updated.',
  invalid: {
    kind_unknown: 'Choose the kind of change.',
    already_announced: 'A notice of this kind about this feature group is still open: its owners were told and are being reminded. Choose another kind, or wait until its date has passed.',
    date_invalid: 'Choose a date (YYYY-MM-DD).',
    date_past: 'The effective date cannot be in the past.',
    date_too_far: `The effective date must be within ${Math.floor(MAX_DAYS_AHEAD / 365)} years.`,
    replacement_not_found: 'There is no feature group by that name.',
    replacement_same: 'The replacement must be a different feature group.',
    note_too_long: 'The note is too long.',
    date_unchanged: 'That is the date the notice already has. Choose another date.',
    feature_unknown: 'The feature group no longer has one of these features. Pick them again.',
    feature_change_missing: 'Say what happens to the features you picked.',
    feature_change_unknown: 'Choose what happens to the features you picked.',
  } satisfies Record<InvalidNoticeProblem, string>,
  /** The notice already open, named by its date (the form's errors are plain text). */
  alreadyAnnouncedFor: (effectiveDate: string) =>
    `A notice of this kind about this feature group, effective ${effectiveDate}, is already open: its owners were told and are being reminded. Choose another kind, or wait until its date has passed.`,
  /** A feature picked that the group does not have (any more), by name (the form's errors are plain text). */
  featureUnknown: (feature: string) => `The feature group has no feature ${feature} (any more). Pick the features again.`,
  checksTooSlow: 'SageMaker or Slack is answering slowly, so this could not be checked in time. Submit again in a moment; nothing was sent.',
  noLongerAllowed: 'You are no longer allowed to announce a change to this feature group.',
  checkFailed: 'This could not be checked right now. Try again in a minute.',
  slackUnavailable: 'Slack did not answer while looking owners up. Try again in a minute.',
  slackRefused: (slackError: string) => `Slack refused to look the owners up (${code(slackError)}); an administrator has to fix the bot's installation (details are in the log).`,
  noticeNotFound: 'That notice no longer exists.',
  /** A click on Acknowledge that changed nothing, by why (each says so: nothing was recorded). */
  acknowledgeRefused: {
    not_the_owner: (ownerId: string) => `Only ${mention(ownerId)} can acknowledge this notice: it was sent to them. Nothing was recorded.`,
    not_in_channel: (channelId: string) => `Only members of ${channelMention(channelId)} can acknowledge this notice for the team. Nothing was recorded.`,
    not_a_recipient: 'This button does not belong to a recipient of that notice, so nothing was recorded.',
    wrong_conversation: 'This button does not belong to a notice sent to this conversation, so nothing was recorded.',
  },
  acknowledgeNotUnderstood: 'That button is no longer understood, so nothing was recorded.',
  acknowledgeCheckFailed: 'Slack did not answer while checking that you are in the team channel, so nothing was recorded. Try again in a minute.',
  modalExpired: 'Slack gave up waiting for the form to open. Run the command again.',
  /** A mention cannot open the announcement form: only the slash command can. */
  deprecateNeedsCommand: (featureGroup: string) =>
    `Announcing a change opens a form, which only the slash command can do: ${code(`${COMMAND} deprecate ${featureGroup.replace(/^<(.*)>$/, '$1')}`)}.`,
  /** Cancel notice / Move date by someone other than the announcer or an admin (nothing changed). */
  notAllowedToManage: (announcer: string | undefined, admins: readonly string[]) => {
    const who = [...(announcer ? [`the announcer (${mention(announcer)})`] : []), ...(admins.length > 0 ? [`the lineage admins (${admins.map(mention).join(', ')})`] : [])];
    return who.length > 0
      ? `Only ${who.join(' or ')} can cancel this notice or move its date. Nothing was changed.`
      : 'Nobody can cancel this notice or move its date: it was announced by the lineage watcher and no lineage admins are configured (LINEAGE_ADMINS). Nothing was changed.';
  },
  /** The same, in the move form (plain text: a form's errors cannot mention anyone). */
  noLongerAllowedToManage: 'Only the announcer or a lineage admin can move the date of this notice. Nothing was changed.',
  noticeCancelled: 'That notice was cancelled, so it can no longer be changed.',
  noticeClosed: 'That notice is closed: its date has passed and the final report went out, so it can no longer be changed.',
  acknowledgeCancelled: 'This notice was cancelled, so there is nothing to acknowledge. Nothing was recorded.',
  cancelledDone: 'Notice cancelled. Every owner who got it is being told, once, and no reminders will follow.',
  impactFailed: (reason: string) => `The impact could not be worked out (${reason}); the notice can still be announced and will be worked out again.`,
} as const;
