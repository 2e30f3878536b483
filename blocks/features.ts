import type { FeaturesAnswer } from '../src/lineage/answers.js';
import { deprecationNote, FIRST_PAGE, pagedList, type Message, type View } from './common.js';
import { compact, context, header, nextSteps, section } from './elements.js';
import { BLOCK } from './ids.js';
import { code, escape, fallback, plural } from './text.js';

/** A feature group's features, with buttons to see who uses one. */
export function buildFeatures(answer: FeaturesAnswer, view: View = FIRST_PAGE): Message {
  const name = answer.subject.name;
  const list = pagedList('features', 'Features', answer.features.map((f) => `• ${code(f.name)} ${escape(f.type)}`), view);
  return {
    text: fallback(`${name} has ${answer.features.length} features`),
    blocks: compact([
      header(`Features of feature group ${name}`, BLOCK.header),
      deprecationNote(answer.deprecation),
      section(
        `${code(name)} has ${plural(answer.features.length, 'feature', 'features')}; record identifier ${code(answer.recordIdentifier)}, event time ${code(answer.eventTime)}.` +
          (answer.description ? `\n${escape(answer.description)}` : ''),
        BLOCK.summary,
      ),
      list.block,
      answer.offlineTable ? context(`Offline store table ${code(answer.offlineTable)}`, BLOCK.hint) : undefined,
      nextSteps(
        [
          ...(list.more ? [list.more] : []),
          { label: 'Consumers', question: 'consumers', input: name },
          { label: 'Upstream sources', question: 'upstream', input: name },
        ],
        BLOCK.nextSteps,
      ),
    ]),
  };
}
