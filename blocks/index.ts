// The builders' entry point: one answer in, one Slack message out.
import type { EntityRef } from '../src/lineage/answers.js';
import type { Answer, AnswerOf, QuestionName } from '../src/lineage/questions.js';
import * as builders from './builders.js';
import type { Message, View } from './common.js';
import { withGraphButton } from './graph-button.js';

export type { Message, View } from './common.js';
export { buildError } from './error.js';
export { buildInfo } from './info.js';
export { buildHelp, type HelpEntry } from './help.js';
export { BLOCK, GRAPH_ACTION, NEXT_STEP_ACTION, NEXT_STEP_ACTION_PATTERN } from './ids.js';
export { decodeGraph, withGraphButton, type GraphRequest } from './graph-button.js';

type Builder<Q extends QuestionName> = (answer: AnswerOf<Q>, view: View) => Message;

/** One builder per question of the registry (src/lineage/questions.ts): a question without one does not compile. */
const BUILDERS: { [Q in QuestionName]: Builder<Q> } = builders;

/** Renders an answer; `view` picks the page of its main list and carries the request for "more". */
export function buildAnswer(answer: Answer, view: View = { page: 0 }): Message {
  const message = (BUILDERS[answer.question] as Builder<QuestionName>)(answer as never, view);
  const subject = answerSubject(answer);
  // Every answer about an entity can be drawn: the Graph button posts the picture into its thread.
  return subject ? { ...message, blocks: withGraphButton(message.blocks, { input: subject.sourceUri ?? subject.name, view: 'lineage' }) } : message;
}

/** The entity an answer is about (the feature group of a feature's usage); none for a search. */
export function answerSubject(answer: Answer): EntityRef | undefined {
  return 'subject' in answer ? answer.subject : 'featureGroup' in answer ? answer.featureGroup : undefined;
}
