import type { ConsumersAnswer } from '../src/lineage/answers.js';
import { bullet, count, listSection, names, truncationNote, type Message } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code } from './text.js';

/** Models and endpoints consuming a feature group. */
export function buildConsumers(answer: ConsumersAnswer): Message {
  const subject = answer.subject.name;
  const summary =
    answer.models.length === 0
      ? `Nothing downstream of feature group ${code(subject)} is a model or an endpoint yet.`
      : `*${count(answer.models, 'Model')}* and *${count(answer.endpoints, 'Endpoint')}* consume feature group ${code(subject)}` +
        (answer.datasets.length > 0 ? `, through ${count(answer.datasets, 'Dataset')}.` : '.');
  const models = answer.models.map(({ model, endpoints }) =>
    endpoints.length > 0 ? `${bullet(model.name)} → ${names(endpoints)}` : `${bullet(model.name)} (no endpoint)`,
  );
  return {
    text: `Consumers of ${subject}: ${answer.models.length} models, ${answer.endpoints.length} endpoints`,
    blocks: compact([
      header(`Consumers of feature group ${subject}`, BLOCK.header),
      section(summary, BLOCK.summary),
      listSection('models', 'Models', models),
      listSection('endpoints', 'Endpoints', answer.endpoints.map((e) => bullet(e.name, e.status))),
      listSection('datasets', 'Training datasets', answer.datasets.map((d) => bullet(d.name))),
      truncationNote(answer.truncation),
      nextSteps(
        [
          { label: 'Upstream sources', question: 'upstream', input: subject },
          ...answer.models.slice(0, 3).map(({ model }) => ({ label: `Trail of ${model.name}`, question: 'trail', input: model.name, as: 'Model' as const })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
