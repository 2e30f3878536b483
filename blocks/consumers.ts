import type { ConsumersAnswer } from '../src/lineage/answers.js';
import { bullet, count, FIRST_PAGE, listSection, names, pagedList, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, fallback, plural } from './text.js';

/** Models and endpoints consuming a feature group. */
export function buildConsumers(answer: ConsumersAnswer, view: View = FIRST_PAGE): Message {
  const subject = answer.subject.name;
  const summary =
    answer.models.length === 0
      ? answer.truncation
        ? // The walk stopped early: what lies beyond it is unknown, so "nothing" would be false.
          `No model or endpoint was found downstream of feature group ${code(subject)} before the walk stopped.`
        : `Nothing downstream of feature group ${code(subject)} is a model or an endpoint yet.`
      : `*${count(answer.models, 'Model')}* and *${count(answer.endpoints, 'Endpoint')}* consume feature group ${code(subject)}` +
        (answer.datasetCount > 0 ? `, through ${plural(answer.datasetCount, 'dataset', 'datasets')}.` : '.');
  const models = answer.models.map(({ model, endpoints }) =>
    endpoints.length > 0 ? `${bullet(model.name)} → ${names(endpoints)}` : `${bullet(model.name)} (no endpoint)`,
  );
  const modelList = pagedList('models', 'Models', models, view);
  return {
    text: fallback(`Consumers of ${subject}: ${answer.models.length} models, ${answer.endpoints.length} endpoints`),
    blocks: compact([
      header(`Consumers of feature group ${subject}`, BLOCK.header),
      section(summary, BLOCK.summary),
      modelList.block,
      listSection('endpoints', 'Endpoints', answer.endpoints.map((e) => bullet(e.name, e.status))),
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(modelList.more ? [modelList.more] : []),
          { label: 'Upstream sources', question: 'upstream', input: subject },
          { label: 'Owners', question: 'owners', input: subject },
          ...answer.models.slice(0, 3).map(({ model }) => ({ label: `Trail of ${model.name}`, question: 'trail', input: model.name, as: 'Model' as const })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
