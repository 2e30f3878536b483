// How notices put things into words: kinds of change, reasons an owner is unreachable, Slack's
// delivery errors, resources. Everything from data goes through escape()/code().
import type { AffectedResource, DetectedChange, FeatureChange, LineageCut, NoticeKind, Notice, UnreachableOwner, UnreachableReason } from '../../src/notices/model.js';
import { code, escape, plural } from '../text.js';

export const KIND_TITLES: Record<NoticeKind, string> = {
  deprecation: 'Deprecation',
  breaking_schema_change: 'Breaking schema change',
  data_change: 'Data change',
  deletion: 'Deletion',
};

/**
 * A notice's date with its time zone: dates are UTC days (reminders and the final report run on
 * them), and a bare date would be read as the reader's own day. A person's notice takes effect at
 * the start of that day; what the watcher found is dated by the day it found it.
 */
export function noticeDate(notice: Pick<Notice, 'effectiveDate' | 'announcer'>): string {
  return notice.announcer.type === 'watcher' ? `${escape(notice.effectiveDate)} UTC` : `${escape(notice.effectiveDate)} 00:00 UTC`;
}

const FEATURE_CHANGE_WORDS: Record<FeatureChange, string> = {
  removal: 'will be removed',
  retype: 'will change type',
  deprecation: 'will be deprecated',
};

/** Most feature names a sentence lists; the rest are counted. */
const FEATURES_LISTED = 20;

/** Feature names as code, the first FEATURES_LISTED of them and a count of the rest. */
export function featureList(names: readonly string[]): string {
  const shown = names.slice(0, FEATURES_LISTED).map((name) => code(name)).join(', ');
  return names.length > FEATURES_LISTED ? `${shown} and ${names.length - FEATURES_LISTED} more` : shown;
}

/** "features `a`, `b` of " before "feature group `g`" in a sentence, for a feature-level notice; '' otherwise. */
export function featuresOf(notice: Pick<Notice, 'features'>): string {
  const names = notice.features?.names;
  return names ? `${names.length === 1 ? 'feature' : 'features'} ${featureList(names)} of ` : '';
}

/** What a notice is about, for headers: the feature group, or "2 features of" it. */
export function noticeSubject(notice: Pick<Notice, 'featureGroup' | 'features'>): string {
  return notice.features ? `${plural(notice.features.names.length, 'feature', 'features')} of ${notice.featureGroup}` : `feature group ${notice.featureGroup}`;
}

/** The one sentence that says what happens, when: to the group, or to some of its features. */
export function changeSentence(notice: Pick<Notice, 'kind' | 'featureGroup' | 'effectiveDate' | 'announcer' | 'features'>): string {
  const group = code(notice.featureGroup);
  const date = `*${noticeDate(notice)}*`;
  const features = notice.features;
  if (features) {
    const which = `${features.names.length === 1 ? 'Feature' : 'Features'} ${featureList(features.names)} of feature group ${group}`;
    return `${which} ${FEATURE_CHANGE_WORDS[features.change]} on ${date} (${KIND_TITLES[notice.kind].toLowerCase()}).`;
  }
  switch (notice.kind) {
    case 'deprecation':
      return `Feature group ${group} will be deprecated on ${date}.`;
    case 'breaking_schema_change':
      return notice.announcer.type === 'watcher'
        ? `Feature group ${group} had a breaking schema change (detected on ${date}).`
        : `Feature group ${group} gets a breaking schema change on ${date}.`;
    case 'data_change':
      return `The data in feature group ${group} changes on ${date}.`;
    case 'deletion':
      return `Feature group ${group} is being deleted or was deleted (detected on ${date}).`;
  }
}

/** A mention for a Slack user ID; anything that is not an ID is shown as code, never as markup. */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : code(userId);
}

/** A channel link for a channel ID; anything else as code. */
export function channelMention(channelId: string): string {
  return /^[CG][A-Z0-9]{2,}$/.test(channelId) ? `<#${channelId}>` : code(channelId);
}

/** The sentence of a moved date: from which date, to which, by whom. */
export function movedLine(notice: Pick<Notice, 'moved' | 'effectiveDate' | 'announcer'>): string {
  const moved = notice.moved;
  if (!moved) return `The date is *${noticeDate(notice)}*.`;
  return `The date was moved from ~${escape(moved.from)}~ to *${noticeDate(notice)}* by ${mention(moved.by)} on ${formatTime(moved.at)}.`;
}

export function announcedBy(notice: Pick<Notice, 'announcer'>): string {
  return notice.announcer.type === 'user' ? `Announced by ${mention(notice.announcer.userId)}.` : 'Detected automatically by the lineage watcher.';
}

/** What the watcher saw: features removed and retyped. */
export function changeDetails(change: DetectedChange | undefined): string[] {
  if (!change) return [];
  return [
    ...(change.removed.length > 0 ? [`*Removed features:* ${change.removed.map((name) => code(name)).join(', ')}`] : []),
    ...(change.retyped.length > 0
      ? [`*Retyped features:* ${change.retyped.map((r) => `${code(r.name)} ${escape(r.from)} → ${escape(r.to)}`).join(', ')}`]
      : []),
  ];
}

export function resourceLine(resource: AffectedResource): string {
  const detail = resource.kind === 'Endpoint' ? `endpoint${resource.status ? `, ${escape(resource.status)}` : ''}` : 'model';
  const through = resource.through && resource.through.length > 0 ? `, through ${resource.through.map((group) => code(group)).join(' → ')}` : '';
  return `• ${code(resource.name)} (${detail}${through})${featureUse(resource)}`;
}

/** For a feature-level notice: which of its features a resource's queries use, or that they may. */
function featureUse(resource: AffectedResource): string {
  if (resource.features && resource.features.length > 0) return ` — uses ${featureList(resource.features)}`;
  return resource.mayBeAffected ? ' — may be affected: its recorded queries do not tell which features it uses' : '';
}

/** A resource's name for a table cell: "may be affected" said, as the lists say it. */
export function resourceCellName(resource: AffectedResource): string {
  return resource.mayBeAffected ? `${resource.name} (may be affected)` : resource.name;
}

/** "2 models and 1 endpoint", counted from the resources; with `nonZero`, a kind there is none of is left out. */
export function resourceCount(resources: readonly AffectedResource[], nonZero = false): string {
  const models = resources.filter((r) => r.kind === 'Model').length;
  const endpoints = resources.length - models;
  if (nonZero && (models === 0 || endpoints === 0)) return models > 0 ? plural(models, 'model', 'models') : plural(endpoints, 'endpoint', 'endpoints');
  return `${plural(models, 'model', 'models')} and ${plural(endpoints, 'endpoint', 'endpoints')}`;
}

/** Why the lineage walk behind an impact or a notice stopped, in words. */
export function lineageCutReason(cut: LineageCut): string {
  return [
    ...(cut.depthExceeded ? [`some lineage lies more than ${plural(cut.maxDepth, 'hop', 'hops')} away`] : []),
    ...(cut.sizeExceeded ? [`it reached more than ${cut.maxVertices} entities`] : []),
  ].join(' and ');
}

export function resourceNames(resources: readonly AffectedResource[]): string {
  return resources.map((r) => `${code(r.name)}${r.mayBeAffected ? ' (may be affected)' : ''}`).join(', ');
}

const UNREACHABLE: Record<Exclude<UnreachableReason, LookupReason>, string> = {
  no_owner_tag: 'no owner or channel tag',
  not_an_owner_value: 'not an email, a Slack user ID or a channel',
  user_not_found: 'no Slack user with this email or ID',
  user_deactivated: 'Slack account deactivated',
  user_is_bot: 'a bot, not a person',
  channel_not_found: 'no such channel (or the bot cannot see it)',
  channel_archived: 'channel archived',
};

/** Reasons that are about the look-up itself rather than the owner; their `detail` is Slack's word. */
type LookupReason = 'missing_scope' | 'lookup_refused' | 'lookup_failed' | 'tags_unreadable';

function unreachableReason(owner: Pick<UnreachableOwner, 'reason' | 'detail'>): string {
  switch (owner.reason) {
    case 'missing_scope':
      return owner.detail ? `the bot lacks the Slack permission ${code(owner.detail)} to look this up` : 'the bot lacks a Slack permission to look this up';
    case 'lookup_refused':
      return owner.detail ? `Slack refused to look this up (${code(owner.detail)})` : 'Slack refused to look this up';
    case 'lookup_failed':
      return 'Slack did not answer when looking this up, so it is unreachable for now';
    case 'tags_unreadable':
      return owner.detail ? `SageMaker did not give its tags (${code(owner.detail)}), so its owners are not known` : 'SageMaker did not give its tags, so its owners are not known';
    default:
      return UNREACHABLE[owner.reason];
  }
}

export function unreachableLine(owner: UnreachableOwner): string {
  const who = owner.value !== '' ? code(owner.value) : owner.reason === 'tags_unreadable' ? '_(owners not known)_' : '_(untagged)_';
  return `• ${who} — ${unreachableReason(owner)} (${resourceNames(owner.resources)})`;
}

const DELIVERY_ERRORS: Record<string, string> = {
  user_not_found: 'user not found',
  users_not_found: 'user not found',
  user_disabled: 'account deactivated',
  cannot_dm_bot: 'a bot cannot be messaged',
  channel_not_found: 'channel not found',
  is_archived: 'channel archived',
  not_in_channel: 'the bot is not in the channel',
  restricted_action: 'posting is restricted there',
  // Only deliveries given up on are shown, so transient errors read as what finally happened.
  ratelimited: 'Slack kept rate limiting it; gave up',
  request_failed: 'Slack could not be reached; gave up',
  internal_error: 'Slack kept failing; gave up',
  fatal_error: 'Slack kept failing; gave up',
  service_unavailable: 'Slack kept failing; gave up',
  request_timeout: 'Slack kept timing out; gave up',
  not_authed: "Slack refused the bot's token; gave up",
  invalid_auth: "Slack refused the bot's token; gave up",
  token_revoked: "Slack refused the bot's token; gave up",
  token_expired: "Slack refused the bot's token; gave up",
  account_inactive: "Slack refused the bot's token; gave up",
  missing_scope: 'the bot lacks a Slack permission',
};

/** A Slack error code of a delivery that failed for good, in words (unknown codes are shown as they are). */
/** Why a delivery failed, in words; `plain` for plain text (a table cell), not mrkdwn. */
export function deliveryError(error: string | undefined, plain = false): string {
  if (!error) return 'not delivered';
  const status = /^http_(\d{3})$/.exec(error)?.[1];
  if (status) return `Slack kept answering HTTP ${status}; gave up`;
  return DELIVERY_ERRORS[error] ?? (plain ? error : escape(error));
}

export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
