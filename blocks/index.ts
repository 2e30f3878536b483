// The builders' entry point: one answer in, one Slack message out.
import type { Answer } from '../src/lineage/answers.js';
import { buildBuiltFrom } from './built-from.js';
import type { Message, View } from './common.js';
import { buildFeatures } from './features.js';
import { buildOwners } from './owners.js';
import { buildConsumers } from './consumers.js';
import { buildDependencies } from './dependencies.js';
import { buildFeatureUsage } from './feature-usage.js';
import { buildSearch } from './search.js';
import { buildTrail } from './trail.js';
import { buildUpstream } from './upstream.js';

export type { Message, View } from './common.js';
export { buildError } from './error.js';
export { buildInfo } from './info.js';
export { buildHelp, type HelpEntry } from './help.js';
export { BLOCK, NEXT_STEP_ACTION, NEXT_STEP_ACTION_PATTERN } from './ids.js';

/** Renders an answer; `view` picks the page of its main list and carries the request for "more". */
export function buildAnswer(answer: Answer, view: View = { page: 0 }): Message {
  switch (answer.question) {
    case 'dependencies':
      return buildDependencies(answer, view);
    case 'consumers':
      return buildConsumers(answer, view);
    case 'upstream':
      return buildUpstream(answer, view);
    case 'builtFrom':
      return buildBuiltFrom(answer, view);
    case 'trail':
      return buildTrail(answer);
    case 'featureUsage':
      return buildFeatureUsage(answer, view);
    case 'search':
      return buildSearch(answer);
    case 'owners':
      return buildOwners(answer, view);
    case 'features':
      return buildFeatures(answer, view);
  }
}
