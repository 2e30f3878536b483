import type { FeatureUsageAnswer } from '../src/lineage/answers.js';
import { bullet, countAtLeast, FIRST_PAGE, listSection, pagedList, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { unknownText, usesText } from './feature-uses.js';
import { BLOCK } from './ids.js';
import { code, fallback, plural } from './text.js';

const shortName = (name: string) => name.split('/').pop() || name;

/** Which models use one feature, and how, per the datasets' feature-store queries; and for which that is not known. */
export function buildFeatureUsage(answer: FeatureUsageAnswer, view: View = FIRST_PAGE): Message {
  const feature = `${answer.featureGroup.name}.${answer.feature.name}`;
  const typed = `${code(feature)} (${answer.feature.type})`;
  const unknown = answer.unknownModels.length;
  // A walk cut short counts what it reached: "at least".
  const cut = answer.truncation !== undefined;
  const notKnown = unknown > 0 ? ` For *${countAtLeast(answer.unknownModels, 'Model', cut)}* the features used are not known.` : '';
  const summary = !answer.matchable
    ? `Feature group ${code(answer.featureGroup.name)} has no offline-store table, so training queries cannot be matched to ${code(feature)}: which models use it is unknown.`
    : answer.models.length > 0
      ? `${typed} is used by the training queries of *${countAtLeast(answer.models, 'Model', cut)}*.${notKnown}`
      : unknown > 0
        ? `No readable training query uses ${typed}, but the features *${countAtLeast(answer.unknownModels, 'Model', cut)}* ${unknown === 1 ? 'uses are' : 'use are'} not known, so ${unknown === 1 ? 'it' : 'they'} may.`
        : cut
          ? `No model using ${typed} was found before the walk stopped.`
          : `No recorded feature-store query of a model's training data uses ${typed}.`;
  const models = pagedList(
    'models',
    'Models',
    answer.models.map(({ model, datasets, uses }) => bullet(model.name, `${usesText(uses)} in ${datasets.map((d) => shortName(d.name)).join(', ')}`)),
    view,
  );
  return {
    text: fallback(
      `${feature} is used by ${plural(answer.models.length, 'model', 'models')}${unknown > 0 ? `; not known for ${plural(unknown, 'model', 'models')}` : ''}${cut ? ' (partial: the walk stopped early)' : ''}`,
    ),
    blocks: compact([
      header(`Models using feature ${feature}`, BLOCK.header),
      section(summary, BLOCK.summary),
      models.block,
      listSection(
        'unknown_models',
        'Models whose features are not known',
        answer.unknownModels.map(({ model, unknown: why }) => bullet(model.name, unknownText(why))),
      ),
      listSection(
        'unused_datasets',
        // A walk cut short may not have reached the models that train on these datasets.
        answer.truncation ? 'Datasets using it, with no model found before the walk stopped' : 'Datasets using it that no model uses yet',
        answer.unusedDatasets.map((d) => bullet(d.name, usesText(d.uses))),
      ),
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(models.more ? [models.more] : []),
          { label: `All consumers of ${answer.featureGroup.name}`, question: 'consumers' as const, input: answer.featureGroup.name },
          ...answer.models.slice(0, 3).map(({ model }) => ({ label: `Trail of ${model.name}`, question: 'trail' as const, input: model.name, as: 'Model' as const })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
