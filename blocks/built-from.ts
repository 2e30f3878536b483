import type { BuiltFromAnswer } from '../src/lineage/answers.js';
import { bullet, count, FIRST_PAGE, kindLabel, names, pagedList, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, fallback, plural } from './text.js';

/** Feature groups already built from a data source, or by a job or pipeline run, and the groups built from those. */
export function buildBuiltFrom(answer: BuiltFromAnswer, view: View = FIRST_PAGE): Message {
  const subject = answer.subject.name;
  const cut = answer.truncation !== undefined;
  const derived = answer.featureGroups.filter((f) => f.through).length;
  const fromGroups = derived > 0 ? ` ${plural(derived, 'of them is', 'of them are')} built from another of these groups.` : '';
  // Data is what feature groups are built from; a job or a pipeline run is what builds them.
  const byBuilder = answer.subject.kind !== 'DataSource';
  const from = byBuilder ? `by ${kindLabel(answer.subject)}` : 'from';
  const summary =
    answer.featureGroups.length === 0
      ? answer.truncation
        ? // The walk stopped early: what lies beyond it is unknown, so "no feature group" would be false.
          `No feature group built ${from} ${code(subject)} was found before the walk stopped.`
        : `No feature group is built ${from} ${code(subject)} yet.`
      : `${cut ? 'At least ' : ''}*${count(answer.featureGroups, 'FeatureGroup')}* ${answer.featureGroups.length === 1 ? 'is' : 'are'} ${byBuilder ? '' : 'already '}built ${from} ${code(subject)}.${fromGroups}`;
  const groups = pagedList(
    'feature_groups',
    'Feature groups',
    answer.featureGroups.map(
      ({ featureGroup, pipelines, through }) =>
        (pipelines.length > 0 ? `${bullet(featureGroup.name)} via ${names(pipelines)}` : bullet(featureGroup.name)) +
        (through ? ` — built from ${through.map((group) => code(group.name)).join(' → ')}` : ''),
    ),
    view,
  );
  return {
    text: fallback(
      `${plural(answer.featureGroups.length, 'feature group is', 'feature groups are')} built ${from} ${subject}${cut ? ' as far as the walk went (partial)' : ''}`,
    ),
    blocks: compact([
      header(`Feature groups built ${from} ${subject}`, BLOCK.header),
      section(summary, BLOCK.summary),
      groups.block,
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(groups.more ? [groups.more] : []),
          ...answer.featureGroups
            .slice(0, 4)
            .map(({ featureGroup }) => ({ label: `Consumers of ${featureGroup.name}`, question: 'consumers' as const, input: featureGroup.name })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
