// A compact lineage card for a pasted SageMaker console link.
import type { KnownBlock } from '@slack/types';
import type { ConsumersAnswer, DependenciesAnswer } from '../src/lineage/answers.js';
import { count, kindLabel, names } from './common.js';
import { compact, context, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code } from './text.js';

const SHOWN = 5;

function some(refs: readonly { name: string }[]): string {
  const shown = names(refs.slice(0, SHOWN));
  return refs.length > SHOWN ? `${shown} and ${refs.length - SHOWN} more` : shown;
}

export function buildUnfurl(answer: ConsumersAnswer | DependenciesAnswer): KnownBlock[] {
  if (answer.question === 'consumers') {
    const models = answer.models.map((m) => m.model);
    return compact([
      section(
        `*Feature group* ${code(answer.subject.name)} feeds *${count(models, 'Model')}*` +
          (models.length > 0 ? ` (${some(models)})` : '') +
          ` and *${count(answer.endpoints, 'Endpoint')}*` +
          (answer.endpoints.length > 0 ? ` (${some(answer.endpoints)})` : '') +
          '.',
        BLOCK.summary,
      ),
      context(`Lineage from SageMaker · ${code(`/lineage fg ${answer.subject.name}`)} for details`, BLOCK.hint),
    ]);
  }
  const groups = answer.featureGroups.map((d) => d.featureGroup);
  return compact([
    section(
      `*${kindLabel(answer.subject).replace(/^./, (c) => c.toUpperCase())}* ${code(answer.subject.name)} depends on *${count(groups, 'FeatureGroup')}*` +
        (groups.length > 0 ? ` (${some(groups)})` : '') +
        '.',
      BLOCK.summary,
    ),
    context(`Lineage from SageMaker · ${code(`/lineage trail ${answer.subject.name}`)} for details`, BLOCK.hint),
  ]);
}
