// A compact lineage card for a pasted SageMaker console link.
import type { KnownBlock } from '@slack/types';
import type { ConsumersAnswer, DependenciesAnswer } from '../src/lineage/answers.js';
import { count, kindLabel, names } from './common.js';
import { consumerCounts } from './consumers.js';
import { compact, context, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, plural } from './text.js';

const SHOWN = 5;

/** The first few names, and how many more of `total` (all of `refs` unless given) there are. */
function some(refs: readonly { name: string }[], total = refs.length): string {
  const shown = names(refs.slice(0, SHOWN));
  const left = total - Math.min(refs.length, SHOWN);
  return left > 0 ? `${shown} and ${left} more` : shown;
}

export function buildUnfurl(answer: ConsumersAnswer | DependenciesAnswer): KnownBlock[] {
  // A card from a walk cut short says "at least", and never that something is absent.
  const cut = answer.truncation !== undefined;
  if (answer.question === 'consumers') {
    // Counted over every consumer, even when the answer names only its first page.
    const counts = consumerCounts(answer);
    const models = answer.models.map((m) => m.model);
    const endpoints =
      cut && counts.endpoints === 0
        ? '; no endpoint was found before the walk stopped'
        : ` and *${plural(counts.endpoints, 'endpoint', 'endpoints')}*` + (answer.endpoints.length > 0 ? ` (${some(answer.endpoints, counts.endpoints)})` : '');
    const indirect = counts.modelsThrough;
    return compact([
      section(
        `*Feature group* ${code(answer.subject.name)} feeds ${cut ? 'at least ' : ''}*${plural(counts.models, 'model', 'models')}*` +
          (models.length > 0 ? ` (${some(models, counts.models)})` : '') +
          endpoints +
          '.' +
          (indirect > 0 ? ` ${plural(indirect, 'model reads', 'models read')} it through feature groups built from it.` : ''),
        BLOCK.summary,
      ),
      context(`Lineage from SageMaker${cut ? ' (partial: the walk stopped early)' : ''} · ${code(`/lineage fg ${answer.subject.name}`)} for details`, BLOCK.hint),
    ]);
  }
  const groups = answer.featureGroups.map((d) => d.featureGroup);
  return compact([
    section(
      `*${kindLabel(answer.subject).replace(/^./, (c) => c.toUpperCase())}* ${code(answer.subject.name)} depends on ${cut ? 'at least ' : ''}*${count(groups, 'FeatureGroup')}*` +
        (groups.length > 0 ? ` (${some(groups)})` : '') +
        '.',
      BLOCK.summary,
    ),
    context(`Lineage from SageMaker${cut ? ' (partial: the walk stopped early)' : ''} · ${code(`/lineage trail ${answer.subject.name}`)} for details`, BLOCK.hint),
  ]);
}
