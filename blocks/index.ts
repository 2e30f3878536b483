// The builders' entry point: one answer in, one Slack message out.
import type { Answer } from '../src/lineage/answers.js';
import { buildBuiltFrom } from './built-from.js';
import type { Message } from './common.js';
import { buildConsumers } from './consumers.js';
import { buildDependencies } from './dependencies.js';
import { buildFeatureUsage } from './feature-usage.js';
import { buildSearch } from './search.js';
import { buildTrail } from './trail.js';
import { buildUpstream } from './upstream.js';

export type { Message } from './common.js';
export { buildError } from './error.js';
export { buildHelp, type HelpEntry } from './help.js';
export { BLOCK, NEXT_STEP_ACTION, NEXT_STEP_ACTION_PATTERN } from './ids.js';

export function buildAnswer(answer: Answer): Message {
  switch (answer.question) {
    case 'dependencies':
      return buildDependencies(answer);
    case 'consumers':
      return buildConsumers(answer);
    case 'upstream':
      return buildUpstream(answer);
    case 'builtFrom':
      return buildBuiltFrom(answer);
    case 'trail':
      return buildTrail(answer);
    case 'featureUsage':
      return buildFeatureUsage(answer);
    case 'search':
      return buildSearch(answer);
  }
}
