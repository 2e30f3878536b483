import type { OwnersAnswer } from '../src/lineage/answers.js';
import { FIRST_PAGE, kindLabel, pagedList, slicedList, throughText, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, escape, fallback, plural } from './text.js';

/**
 * Owners by tag. Owner values are shown as code, never as <@U…> mentions: asking who owns
 * something must not ping them.
 */
export function buildOwners(answer: OwnersAnswer, view: View = FIRST_PAGE): Message {
  const subject = answer.subject;
  const line = (entry: OwnersAnswer['entries'][number]) => {
    const who = entry.owners.length > 0 ? entry.owners.map(code).join(', ') : '_no owner tag_';
    const where = entry.channels.length > 0 ? ` in ${entry.channels.map(code).join(', ')}` : '';
    return `• ${escape(kindLabel(entry.entity))} ${code(entry.entity.name)}${throughText(entry.through)}: ${who}${where}`;
  };
  const untagged = answer.entries.filter((e) => e.owners.length === 0).length;
  // A feature group with more consumers than a page: the page's models and their endpoints, and a More for the next.
  const page = answer.page && answer.page.models > answer.page.size ? answer.page : undefined;
  const list = page
    ? slicedList('owners', 'Owners of models and their endpoints', answer.entries.map(line), view, { index: page.index, start: page.start, size: page.size, total: page.models })
    : (({ block, more }) => ({ blocks: [block], more }))(pagedList('owners', 'Owners', answer.entries.map(line), view));
  return {
    text: fallback(`Owners of ${subject.name}`),
    blocks: compact([
      header(`Owners of ${kindLabel(subject)} ${subject.name}`, BLOCK.header),
      section(
        subject.kind === 'FeatureGroup'
          ? `Who owns feature group ${code(subject.name)} and what consumes it, directly or through feature groups built from it.` +
              (page ? ` ${plural(page.models, 'model', 'models')} and ${plural(page.endpoints, 'endpoint', 'endpoints')} consume it, a page of models at a time.` : '') +
              (untagged > 0 ? ` ${untagged}${page ? ' of those listed here' : ''} without an owner tag.` : '') +
              // The consumers listed are those the walk reached: more, with more owners, may lie beyond it.
              (answer.truncation ? ' The walk stopped early: consumers beyond it, and their owners, are not listed.' : '')
          : `Who owns ${escape(kindLabel(subject))} ${code(subject.name)}, by its tags.`,
        BLOCK.summary,
      ),
      ...list.blocks,
      truncationNote(answer.truncation),
      nextSteps(list.more ? [list.more] : [], BLOCK.nextSteps),
    ]),
  };
}
