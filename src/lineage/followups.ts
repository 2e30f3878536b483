// Thread follow-ups: "@Lineage which endpoints?" in the thread of an answer about an entity.
// The words pick the question (each question's follow-up words are in its registry entry,
// questions.ts); the thread supplies the entity.
import type { Kind } from './classify.js';
import { followUpRules, QUESTIONS, type QuestionEntry, type QuestionRequest } from './questions.js';

/** What can be asked in a thread about an entity of this kind, for the hint when nothing matched. */
export function followUpHints(kind: Kind): string[] {
  return (Object.values(QUESTIONS) as QuestionEntry[]).flatMap((entry) => (entry.followUps ?? []).filter((f) => f.kinds.includes(kind)).flatMap((f) => f.hints));
}

/** The question a follow-up asks about the thread's subject; undefined when the words say nothing known. */
export function interpretFollowUp(text: string, subject: { kind: Kind; input: string }): QuestionRequest | undefined {
  const words = text.toLowerCase();
  const match = followUpRules().find(({ rule }) => rule.kinds.includes(subject.kind) && rule.pattern.test(words));
  if (!match) return undefined;
  const as = subject.kind === 'Endpoint' ? 'Endpoint' : subject.kind === 'Model' ? 'Model' : undefined;
  return { question: match.question, input: subject.input, ...(as ? { as } : {}) };
}
