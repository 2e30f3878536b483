import type { SearchAnswer, SearchHit } from '../src/lineage/answers.js';
import { KIND_LABELS } from '../src/lineage/classify.js';
import type { NextStep } from './elements.js';
import { bullet, listSection, type Message } from './common.js';
import { compact, context, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, fallback, plural } from './text.js';

const KIND_ORDER = ['FeatureGroup', 'Model', 'Endpoint', 'DataSource'] as const;

/** Said when the data-source search stopped at its bound (SageMaker cannot search artifacts by part of a URI). */
export function dataSourcesPartial(read: number): string {
  return `Data sources were looked for among the first ${read.toLocaleString('en-US')} data sets SageMaker lists only, so others may match too. Ask about a data source by its full S3 URI to reach it directly.`;
}

/** The natural next question for a search hit. */
function stepFor(hit: SearchHit): NextStep | undefined {
  switch (hit.kind) {
    case 'FeatureGroup':
      return { label: `Consumers of ${hit.name}`, question: 'consumers', input: hit.name };
    case 'Model':
      return { label: `Trail of ${hit.name}`, question: 'trail', input: hit.name, as: 'Model' };
    case 'Endpoint':
      return { label: `Feature groups of ${hit.name}`, question: 'dependencies', input: hit.name, as: 'Endpoint' };
    case 'DataSource':
      return { label: `Built from ${hit.name.split('/').pop() ?? hit.name}`, question: 'builtFrom', input: hit.name };
    default:
      return undefined;
  }
}

export function buildSearch(answer: SearchAnswer): Message {
  // Search looks at these four kinds only: a job or pipeline of that name may well exist.
  const summary =
    answer.hits.length === 0
      ? `No feature group, model, endpoint or data source is named like ${code(answer.text)}. Try a shorter part of the name.`
      : `${plural(answer.hits.length, 'match', 'matches')} for ${code(answer.text)}.`;
  return {
    text: fallback(`${plural(answer.hits.length, 'match', 'matches')} for ${answer.text}`),
    blocks: compact([
      header(`Search: ${answer.text}`, BLOCK.header),
      section(summary, BLOCK.summary),
      ...KIND_ORDER.map((kind) =>
        listSection(
          kind.toLowerCase(),
          KIND_LABELS[kind].many.replace(/^./, (c) => c.toUpperCase()),
          answer.hits.filter((hit) => hit.kind === kind).map((hit) => bullet(hit.name)),
        ),
      ),
      answer.more ? context('More matches exist than are shown: search for a longer part of the name.', BLOCK.hint) : undefined,
      answer.dataSetsRead !== undefined ? context(dataSourcesPartial(answer.dataSetsRead), BLOCK.truncation) : undefined,
      nextSteps(
        answer.hits.slice(0, 5).flatMap((hit) => stepFor(hit) ?? []),
        BLOCK.nextSteps,
      ),
    ]),
  };
}
