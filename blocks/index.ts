// The builders' entry point: one answer in, one Slack message out.
import type { Answer, AnswerOf, QuestionName } from '../src/lineage/questions.js';
import * as builders from './builders.js';
import type { Message, View } from './common.js';

export type { Message, View } from './common.js';
export { buildError } from './error.js';
export { buildInfo } from './info.js';
export { buildHelp, type HelpEntry } from './help.js';
export { BLOCK, NEXT_STEP_ACTION, NEXT_STEP_ACTION_PATTERN } from './ids.js';

type Builder<Q extends QuestionName> = (answer: AnswerOf<Q>, view: View) => Message;

/** One builder per question of the registry (src/lineage/questions.ts): a question without one does not compile. */
const BUILDERS: { [Q in QuestionName]: Builder<Q> } = builders;

/** Renders an answer; `view` picks the page of its main list and carries the request for "more". */
export function buildAnswer(answer: Answer, view: View = { page: 0 }): Message {
  return (BUILDERS[answer.question] as Builder<QuestionName>)(answer as never, view);
}
