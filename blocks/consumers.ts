import type { ConsumersAnswer, ConsumingModel } from '../src/lineage/answers.js';
import { bullet, deprecationNote, FIRST_PAGE, listSection, names, pagedTable, pluralAtLeast, throughText, truncationNote, type Message, type View } from './common.js';
import type { TableColumn } from './table.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, fallback, plural } from './text.js';

/** A long list of consuming models as a table: what each list line said, a column each. */
function modelColumns(answer: ConsumersAnswer, cut: boolean): TableColumn<ConsumingModel>[] {
  const status = new Map(answer.endpoints.map((e) => [e.name, e.status]));
  return [
    { title: 'Model', cell: (m) => m.model.name },
    {
      title: 'Endpoints',
      cell: (m) =>
        m.endpoints.length > 0
          ? m.endpoints.map((e) => (status.get(e.name) ? `${e.name} (${status.get(e.name) ?? ''})` : e.name)).join(', ')
          : cut
            ? 'none found before the walk stopped'
            : 'none',
      wrap: true,
    },
    { title: 'Through', cell: (m) => (m.through && m.through.length > 0 ? m.through.map((g) => g.name).join(' → ') : 'directly'), wrap: true },
  ];
}

/**
 * How many models and endpoints consume, and how many of them only through groups built from the
 * subject: a page's counts cover every consumer, named on this page or not.
 */
export function consumerCounts(answer: ConsumersAnswer): { models: number; endpoints: number; modelsThrough: number; endpointsThrough: number } {
  if (answer.page) return answer.page;
  return {
    models: answer.models.length,
    endpoints: answer.endpoints.length,
    modelsThrough: answer.models.filter((m) => m.through).length,
    endpointsThrough: answer.endpoints.filter((e) => e.through).length,
  };
}

/** Models and endpoints consuming a feature group. */
export function buildConsumers(answer: ConsumersAnswer, view: View = FIRST_PAGE): Message {
  const subject = answer.subject.name;
  // A walk cut short counts what it reached: every number is "at least", and nothing it did not reach is said to be absent.
  const cut = answer.truncation !== undefined;
  const counts = consumerCounts(answer);
  const summary =
    counts.models === 0
      ? cut
        ? // The walk stopped early: what lies beyond it is unknown, so "nothing" would be false.
          `No model or endpoint was found downstream of feature group ${code(subject)} before the walk stopped.`
        : `Nothing downstream of feature group ${code(subject)} is a model or an endpoint yet.`
      : consumedBy(answer, counts, cut) + indirectly(answer, counts, cut);
  const models = answer.models.map(({ model, endpoints, through }) =>
    endpoints.length > 0
      ? `${bullet(model.name)} → ${names(endpoints)}${throughText(through)}`
      : bullet(model.name) + throughText(through, cut ? 'no endpoint found before the walk stopped' : 'no endpoint'),
  );
  const page = answer.page;
  const modelList = pagedTable(
    'models',
    'Models',
    { lines: models, items: answer.models, columns: modelColumns(answer, cut) },
    view,
    page && { index: page.index, start: page.start, size: page.size, total: page.models },
  );
  // A page lists the endpoints of its models (and, first, any no model serves): the rest come with their models.
  const endpointsTitle = page && page.endpoints > answer.endpoints.length ? `Endpoints of these models (${answer.endpoints.length} of ${page.endpoints})` : 'Endpoints';
  return {
    text: fallback(`Consumers of ${subject}: ${counts.models} models, ${counts.endpoints} endpoints${cut ? ' found before the walk stopped (partial)' : ''}`),
    blocks: compact([
      header(`Consumers of feature group ${subject}`, BLOCK.header),
      deprecationNote(answer.deprecation),
      section(summary, BLOCK.summary),
      ...modelList.blocks,
      listSection('endpoints', endpointsTitle, answer.endpoints.map((e) => bullet(e.name, e.status) + throughText(e.through))),
      listSection(
        'derived_groups',
        `Feature groups built from ${subject}`,
        answer.derivedGroups.map((d) => bullet(d.featureGroup.name) + throughText(d.through)),
      ),
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(modelList.more ? [modelList.more] : []),
          { label: 'Upstream sources', question: 'upstream' as const, input: subject },
          { label: 'Owners', question: 'owners', input: subject },
          ...answer.derivedGroups
            .slice(0, 2)
            .map(({ featureGroup }) => ({ label: `Consumers of ${featureGroup.name}`, question: 'consumers' as const, input: featureGroup.name })),
          ...answer.models.slice(0, 3).map(({ model }) => ({ label: `Trail of ${model.name}`, question: 'trail' as const, input: model.name, as: 'Model' as const })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}

/** "*2 models* and *2 endpoints* consume feature group `claims`, through 3 datasets." — or "at least" when cut short. */
function consumedBy(answer: ConsumersAnswer, counts: ReturnType<typeof consumerCounts>, cut: boolean): string {
  const subject = code(answer.subject.name);
  const datasets = answer.datasetCount > 0 ? `, through ${pluralAtLeast(answer.datasetCount, 'dataset', 'datasets', cut)}` : '';
  const models = `*${plural(counts.models, 'model', 'models')}*`;
  const endpoints = `*${plural(counts.endpoints, 'endpoint', 'endpoints')}*`;
  // "1 model consumes", but "2 models consume".
  const consume = counts.models === 1 ? 'consumes' : 'consume';
  if (!cut) {
    // Not "1 model and 0 endpoints consume …".
    if (counts.endpoints === 0) {
      return `${models} ${consume} feature group ${subject}${datasets}; ${counts.models === 1 ? 'it is not' : 'none is'} deployed at an endpoint.`;
    }
    return `${models} and ${endpoints} consume feature group ${subject}${datasets}.`;
  }
  if (counts.endpoints === 0) return `At least ${models} ${consume} feature group ${subject}${datasets}; no endpoint was found before the walk stopped.`;
  return `At least ${models} and ${endpoints} consume feature group ${subject}${datasets}.`;
}

/** " *1 model* and *1 endpoint* of them read it through `claims-enriched`, a feature group built from it." */
function indirectly(answer: ConsumersAnswer, counts: ReturnType<typeof consumerCounts>, cut: boolean): string {
  const groups = answer.derivedGroups;
  if (groups.length === 0) return '';
  const viaGroups =
    groups.length === 1
      ? `${code((groups[0] as ConsumersAnswer['derivedGroups'][number]).featureGroup.name)}, a feature group built from it`
      : `${pluralAtLeast(groups.length, 'feature group', 'feature groups', cut)} built from it`;
  const models = counts.modelsThrough;
  // "before the walk stopped" ends the sentence, so that it qualifies "was found", not "built from it".
  if (models === 0) {
    if (!cut) return ` No model was found reading it through ${viaGroups}.`;
    return ` No model reading it through ${viaGroups}${groups.length === 1 ? ',' : ''} was found before the walk stopped.`;
  }
  const endpoints = counts.endpointsThrough;
  const what = `*${plural(models, 'model', 'models')}*${endpoints > 0 ? ` and *${plural(endpoints, 'endpoint', 'endpoints')}*` : ''}`;
  return ` ${what} of them ${models + endpoints === 1 ? 'reads' : 'read'} it through ${viaGroups}.`;
}
