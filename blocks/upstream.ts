import type { UpstreamAnswer } from '../src/lineage/answers.js';
import { bullet, countAtLeast, deprecationNote, FIRST_PAGE, listSection, pagedList, pluralAtLeast, truncationNote, type Message, type View } from './common.js';
import { compact, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, fallback, plural } from './text.js';

/** Raw data, pipelines and code that build a feature group. */
export function buildUpstream(answer: UpstreamAnswer, view: View = FIRST_PAGE): Message {
  const subject = answer.subject.name;
  // A walk cut short may have stopped before the data sources: then "none" would be false.
  const cut = answer.truncation !== undefined;
  const pipelines = pluralAtLeast(answer.pipelines.length, 'pipeline', 'pipelines', cut);
  const summary =
    answer.dataSources.length + answer.pipelines.length === 0
      ? cut
        ? `No data source or pipeline was found upstream of feature group ${code(subject)} before the walk stopped.`
        : `No data source or pipeline is recorded upstream of feature group ${code(subject)}.`
      : answer.dataSources.length === 0
        ? `Feature group ${code(subject)} is built by *${pipelines}*; ` +
          (cut ? 'no data source was found before the walk stopped.' : 'no data source is recorded upstream of it.')
        : `Feature group ${code(subject)} is built from *${countAtLeast(answer.dataSources, 'DataSource', cut)}* by *${pipelines}*.`;
  const sources = pagedList('data_sources', 'Data sources', answer.dataSources.map((d) => bullet(d.name)), view);
  return {
    text: fallback(
      cut
        ? `${subject}: ${plural(answer.dataSources.length, 'data source', 'data sources')} and ${plural(answer.pipelines.length, 'pipeline', 'pipelines')} found upstream before the walk stopped`
        : `${subject} is built from ${plural(answer.dataSources.length, 'data source', 'data sources')} by ${pipelines}`,
    ),
    blocks: compact([
      header(`What builds feature group ${subject}`, BLOCK.header),
      deprecationNote(answer.deprecation),
      section(summary, BLOCK.summary),
      sources.block,
      listSection('pipelines', 'Pipelines', answer.pipelines.map((p) => bullet(p.name, p.kind === 'FeaturePipeline' ? 'feature pipeline' : 'processing job'))),
      listSection('code', 'Code', answer.code.map((c) => bullet(c.name))),
      listSection('feature_groups', 'Built from feature groups', answer.featureGroups.map((f) => bullet(f.name))),
      truncationNote(answer.truncation),
      nextSteps(
        [
          ...(sources.more ? [sources.more] : []),
          { label: 'Consumers', question: 'consumers' as const, input: subject },
          { label: 'Features', question: 'features', input: subject },
          ...answer.dataSources.slice(0, 3).map((d) => ({ label: `Built from ${d.name.split('/').pop() ?? d.name}`, question: 'builtFrom' as const, input: d.sourceUri ?? d.arn })),
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
