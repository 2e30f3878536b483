import type { TrailAnswer } from '../src/lineage/answers.js';
import { KIND_LABELS } from '../src/lineage/classify.js';
import { bullet, kindLabel, listSection, truncationNote, type Message } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { featuresText } from './feature-uses.js';
import { BLOCK } from './ids.js';
import { code, escape, fallback, plural, truncate } from './text.js';

/** Longest query shown inline; the rest is one click away in the dataset's artifact. */
const QUERY_PREVIEW = 600;

/** The whole trail of a model: one section per stage, in the order data flows. */
export function buildTrail(answer: TrailAnswer): Message {
  const subject = answer.subject;
  const flow = answer.stages
    .filter((stage) => stage.kind !== 'Other')
    .map((stage) => plural(stage.entities.length, KIND_LABELS[stage.kind].one, KIND_LABELS[stage.kind].many))
    .join(' → ');
  const featureGroups = answer.stages.find((stage) => stage.kind === 'FeatureGroup')?.entities ?? [];
  // A trail cut short shows what the walk reached, not all there is.
  const cut = answer.truncation !== undefined;
  const summary =
    answer.stages.length === 0
      ? cut
        ? `Nothing was found around ${code(subject.name)} before the walk stopped.`
        : `Nothing is recorded around ${code(subject.name)}.`
      : cut
        ? `Found before the walk stopped: ${escape(flow)}`
        : escape(flow);
  return {
    text: fallback(`Lineage trail of ${subject.name}${cut ? ' (partial)' : ''}: ${flow}`),
    blocks: compact([
      header(`Lineage trail of ${kindLabel(subject)} ${subject.name}`, BLOCK.header),
      section(summary, BLOCK.summary),
      ...answer.stages.map((stage) =>
        listSection(
          stage.kind.toLowerCase(),
          KIND_LABELS[stage.kind].many.replace(/^./, (c) => c.toUpperCase()),
          stage.entities.map((entity) =>
            stage.kind === 'Dataset' && entity.detail
              ? `${bullet(entity.name)}\n\`\`\`${escape(truncate(entity.detail.replace(/`/g, 'ˋ'), QUERY_PREVIEW))}\`\`\``
              : bullet(entity.name, entity.features ? featuresText(entity.features) : entity.detail) +
                (entity.builtFrom ? ` — built from ${entity.builtFrom.map((group) => code(group.name)).join(', ')}` : ''),
          ),
        ),
      ),
      truncationNote(answer.truncation),
      nextSteps(
        [
          { label: 'Feature groups only', question: 'dependencies', input: subject.name, as: subject.kind === 'Endpoint' ? 'Endpoint' : 'Model' },
          ...featureGroups.slice(0, 3).map((fg) => ({ label: `Consumers of ${fg.name}`, question: 'consumers' as const, input: fg.name })),
          { label: 'Owners', question: 'owners' as const, input: subject.name, as: subject.kind === 'Endpoint' ? 'Endpoint' : 'Model' },
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
