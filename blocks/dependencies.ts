import type { DependenciesAnswer } from '../src/lineage/answers.js';
import { bullet, countAtLeast, FIRST_PAGE, kindLabel, names, pagedList, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { featuresText } from './feature-uses.js';
import { BLOCK } from './ids.js';
import { code, fallback } from './text.js';

/** Feature groups (and features) behind a model or an endpoint. */
export function buildDependencies(answer: DependenciesAnswer, view: View = FIRST_PAGE): Message {
  const subject = answer.subject;
  const cut = answer.truncation !== undefined;
  const via =
    subject.kind === 'Endpoint' && answer.models.length > 0 ? ` serves ${countAtLeast(answer.models, 'Model', cut)} (${names(answer.models)}) and` : '';
  const summary =
    answer.featureGroups.length === 0
      ? answer.truncation
        ? `No feature group was found upstream of ${kindLabel(subject)} ${code(subject.name)} before the walk stopped.`
        : `No feature group is recorded upstream of ${kindLabel(subject)} ${code(subject.name)}.`
      : `${kindLabel(subject).replace(/^./, (c) => c.toUpperCase())} ${code(subject.name)}${via} depends on *${countAtLeast(answer.featureGroups, 'FeatureGroup', cut)}*` +
        (answer.trainingJobs.length > 0 ? `, through ${countAtLeast(answer.trainingJobs, 'TrainingJob', cut)} (${names(answer.trainingJobs)}).` : '.');
  const groups = pagedList(
    'feature_groups',
    'Feature groups and the features used',
    answer.featureGroups.map((d) => bullet(d.featureGroup.name, featuresText(d.features))),
    view,
  );
  return {
    text: fallback(`${subject.name} depends on ${answer.featureGroups.length} feature groups${cut ? ' found before the walk stopped (partial)' : ''}`),
    blocks: compact([
      header(`Feature groups behind ${kindLabel(subject)} ${subject.name}`, BLOCK.header),
      section(summary, BLOCK.summary),
      groups.block,
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(groups.more ? [groups.more] : []),
          { label: 'Full trail', question: 'trail' as const, input: subject.name, as: subject.kind === 'Endpoint' ? 'Endpoint' : 'Model' },
          ...answer.featureGroups
            .slice(0, 3)
            .map((d) => ({ label: `Consumers of ${d.featureGroup.name}`, question: 'consumers' as const, input: d.featureGroup.name })),
          { label: 'Owners', question: 'owners' as const, input: subject.name, as: subject.kind === 'Endpoint' ? 'Endpoint' : 'Model' },
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
