// The answer to `/lineage impact <feature-group>`: what a change would affect and who would be
// told — and who could not be — without telling anyone.
import type { Impact, ImpactResource } from '../../src/notices/impact.js';
import type { KnownBlock } from '@slack/types';
import { truncationNote, type Message } from '../common.js';
import { compact, context, header, section } from '../elements.js';
import { graphRow } from '../graph-button.js';
import { code, escape, fitLines, plural } from '../text.js';
import { table, type TableColumn } from '../table.js';
import { NOTICE_BLOCK } from './ids.js';
import { lineageCutReason, resourceCount, resourceLine, resourceNames, unreachableLine } from './words.js';

/** Names of the resources whose tags SageMaker would not give: their owners are not known, not absent. */
function tagsUnread(impact: Impact): Set<string> {
  return new Set(impact.unreachable.filter((u) => u.reason === 'tags_unreadable').flatMap((u) => u.resources.map((r) => `${r.kind}:${r.name}`)));
}

const unread = (unknown: Set<string>, r: ImpactResource) => unknown.has(`${r.kind}:${r.name}`);

function resourceWithOwners(resource: ImpactResource, unknown: Set<string>): string {
  if (unread(unknown, resource)) return `${resourceLine(resource)} — owners not known${resource.addressedTo.length === 0 ? ' — :warning: nobody reachable' : ''}`;
  const owners = [...resource.channels, ...resource.owners].map((value) => code(value)).join(', ');
  const reach = resource.addressedTo.length === 0 ? ' — :warning: nobody reachable' : '';
  const missing = resource.missing ? ' — no longer in SageMaker' : '';
  return `${resourceLine(resource)}${owners ? ` — ${owners}` : ' — no owner tag'}${missing}${reach}`;
}

/** The affected models and endpoints as table columns: one row each, what the list said per line. */
const resourceColumns = (unknown: Set<string>): TableColumn<ImpactResource>[] => [
  { title: 'Model or endpoint', cell: (r) => r.name },
  { title: 'Kind', cell: (r) => (r.kind === 'Endpoint' ? 'endpoint' : 'model') },
  { title: 'Status', cell: (r) => (r.missing ? 'no longer in SageMaker' : (r.status ?? '')) },
  { title: 'Owners', cell: (r) => (unread(unknown, r) ? 'not known (tags unreadable)' : [...r.channels, ...r.owners].join(', ') || 'no owner tag'), wrap: true },
  { title: 'Would be told', cell: (r) => (r.addressedTo.length === 0 ? 'nobody reachable' : 'yes') },
  { title: 'Through', cell: (r) => (r.through && r.through.length > 0 ? r.through.join(' → ') : 'directly'), wrap: true },
];

/**
 * The affected models and endpoints: a table in a message, the list elsewhere. A table cut at
 * Slack's row cap says how many rows it shows.
 */
function resourcesBlocks(impact: Impact, tables: boolean): (KnownBlock | undefined)[] {
  if (impact.resources.length === 0) return [];
  const unknown = tagsUnread(impact);
  if (!tables) return [section(fitLines(['*Affected models and endpoints, with their owners*', ...impact.resources.map((r) => resourceWithOwners(r, unknown))]), NOTICE_BLOCK.resources)];
  const { block, shown } = table(NOTICE_BLOCK.resources, resourceColumns(unknown), impact.resources);
  return [
    block,
    shown < impact.resources.length
      ? context(`The table shows the first ${shown} of ${impact.resources.length} models and endpoints: a table holds no more.`, NOTICE_BLOCK.resourcesCut)
      : undefined,
  ];
}

/** How a summary marks names and counts: mrkdwn for messages, nothing for plain text (a workflow's output). */
interface SummaryStyle {
  code(text: string): string;
  strong(text: string): string;
}

const MRKDWN: SummaryStyle = { code, strong: (text) => `*${text}*` };
const PLAIN: SummaryStyle = { code: (text) => text, strong: (text) => text };

function summary(impact: Impact, style: SummaryStyle = MRKDWN): string {
  const group = style.code(impact.featureGroup.name);
  // A walk cut short found some of what a change affects: never "nobody", always "at least".
  const cut = impact.truncation;
  if (!impact.lineageRecorded) {
    return `Feature group ${group} ${impact.featureGroup.exists ? 'exists, but' : 'is gone and'} no lineage is recorded for it, so no consumers are known: a notice would reach nobody.`;
  }
  if (impact.resources.length === 0) {
    return cut
      ? `No model or endpoint was found downstream of feature group ${group} before the lineage walk stopped (${lineageCutReason(cut)}), so who a change would affect is not known.`
      : `Nothing downstream of feature group ${group} is a model or an endpoint: a change would affect nobody.`;
  }
  const indirect = impact.resources.filter((r) => r.through);
  const unreachable = impact.unreachable.length > 0 ? `, and ${plural(impact.unreachable.length, 'owner', 'owners')} cannot be reached` : '';
  return (
    `A change to feature group ${group} would affect ${cut ? 'at least ' : ''}${resourceCount(impact.resources).split(' and ').map(style.strong).join(' and ')}` +
    (indirect.length > 0 ? ` (${resourceCount(indirect, true)} of them through feature groups built from it)` : '') +
    `. A notice would reach ${style.strong(plural(impact.recipients.length, 'owner', 'owners'))}${unreachable}.` +
    (cut ? ` The lineage walk stopped early (${lineageCutReason(cut)}): owners of what lies beyond it would not be told.` : '')
  );
}

/** The impact answer's summary sentence as plain text, for a workflow step's output (no markup, nothing escaped). */
export function impactSummaryText(impact: Impact): string {
  return summary(impact, PLAIN);
}

export interface ImpactOptions {
  /** False where a `table` block is not allowed (a modal, App Home): the list is shown instead. */
  tables?: boolean;
}

export function buildImpact(impact: Impact, command = '/lineage', { tables = true }: ImpactOptions = {}): Message {
  const name = impact.featureGroup.name;
  return {
    text: `Impact of a change to ${escape(name)}: ${impact.truncation ? 'at least ' : ''}${impact.resources.length} models and endpoints, ${impact.recipients.length} owners to notify, ${impact.unreachable.length} unreachable`,
    blocks: compact([
      header(`Impact of a change to feature group ${name}`, NOTICE_BLOCK.header),
      section(summary(impact), NOTICE_BLOCK.tally),
      ...resourcesBlocks(impact, tables),
      impact.recipients.length > 0
        ? section(
            fitLines(['*Who would be told*', ...impact.recipients.map((r) => `• ${escape(r.label)}${r.type === 'channel' ? ' (team channel)' : ''} — ${resourceNames(r.resources)}`)]),
            NOTICE_BLOCK.recipients,
          )
        : undefined,
      impact.unreachable.length > 0 ? section(fitLines(['*Owners who cannot be reached*', ...impact.unreachable.map(unreachableLine)]), NOTICE_BLOCK.unreachable) : undefined,
      truncationNote(impact.truncation),
      // The blast radius as a picture, coloured by whether the owners above can be reached.
      impact.lineageRecorded ? graphRow({ input: name, view: 'impact' }, NOTICE_BLOCK.picture) : undefined,
      context(`Nobody has been notified. To announce a change: ${code(`${command} deprecate ${name}`)}`, NOTICE_BLOCK.footer),
    ]),
  };
}
