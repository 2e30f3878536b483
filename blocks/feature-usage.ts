import type { FeatureUsageAnswer } from '../src/lineage/answers.js';
import { bullet, count, FIRST_PAGE, listSection, pagedList, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, fallback } from './text.js';

/** Which models selected one feature, per the datasets' feature-store queries. */
export function buildFeatureUsage(answer: FeatureUsageAnswer, view: View = FIRST_PAGE): Message {
  const feature = `${answer.featureGroup.name}.${answer.feature.name}`;
  const summary = !answer.matchable
    ? `Feature group ${code(answer.featureGroup.name)} has no offline-store table, so training queries cannot be matched to ${code(feature)}: which models use it is unknown.`
    : answer.models.length === 0
      ? answer.truncation
        ? `No model using ${code(feature)} (${answer.feature.type}) was found before the walk stopped.`
        : `No recorded feature-store query of a model's training data selects ${code(feature)} (${answer.feature.type}).`
      : `${code(feature)} (${answer.feature.type}) is selected by the training queries of *${count(answer.models, 'Model')}*.`;
  const models = pagedList(
    'models',
    'Models',
    answer.models.map(({ model, datasets }) => bullet(model.name, `via ${datasets.map((d) => d.name.split('/').pop() ?? d.name).join(', ')}`)),
    view,
  );
  return {
    text: fallback(`${feature} is used by ${answer.models.length} models`),
    blocks: compact([
      header(`Models using feature ${feature}`, BLOCK.header),
      section(summary, BLOCK.summary),
      models.block,
      listSection(
        'unused_datasets',
        // A walk cut short may not have reached the models that train on these datasets.
        answer.truncation ? 'Datasets selecting it, with no model found before the walk stopped' : 'Datasets selecting it that no model uses yet',
        answer.unusedDatasets.map((d) => bullet(d.name)),
      ),
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(models.more ? [models.more] : []),
          { label: `All consumers of ${answer.featureGroup.name}`, question: 'consumers', input: answer.featureGroup.name },
          ...answer.models.slice(0, 3).map(({ model }) => ({ label: `Trail of ${model.name}`, question: 'trail', input: model.name, as: 'Model' as const })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
