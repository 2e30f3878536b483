// Thread follow-ups: "@Lineage which endpoints?" in the thread of an answer about an entity.
// The words pick the question; the thread supplies the entity.
import type { Kind } from './classify.js';
import type { QuestionName, QuestionRequest } from './questions.js';

interface Rule {
  pattern: RegExp;
  question: QuestionName;
}

const OWNERS: Rule = { pattern: /\b(owners?|owned|who owns|contacts?|team)\b/, question: 'owners' };

/** Rules per kind of subject, tried in order: the first that matches wins. */
const RULES: Partial<Record<Kind, Rule[]>> = {
  FeatureGroup: [
    OWNERS,
    { pattern: /\b(upstream|sources?|built|builds?|pipelines?|raw|inputs?|comes? from|where from|code)\b/, question: 'upstream' },
    { pattern: /\b(features?|columns?|schema|definitions?|fields?)\b/, question: 'features' },
    { pattern: /\b(endpoints?|models?|consumers?|consumes?|downstream|uses?|used|impact|affected|depends?)\b/, question: 'consumers' },
  ],
  Model: [
    OWNERS,
    { pattern: /\b(features?|feature groups?|deps|dependencies|depends?)\b/, question: 'dependencies' },
    { pattern: /\b(trail|lineage|upstream|sources?|data|pipelines?|train(ed|ing)?|endpoints?|deploy(ed|ments?)?|downstream|everything|all)\b/, question: 'trail' },
  ],
  DataSource: [{ pattern: /\b(feature groups?|features?|built|builds?|downstream|used|uses?|consumers?)\b/, question: 'builtFrom' }],
};
RULES.ModelPackage = RULES.Model;
RULES.Endpoint = RULES.Model;

/** What can be asked in a thread about an entity of this kind, for the hint when nothing matched. */
export function followUpHints(kind: Kind): string[] {
  switch (kind) {
    case 'FeatureGroup':
      return ['upstream', 'features', 'endpoints', 'owners'];
    case 'Model':
    case 'ModelPackage':
    case 'Endpoint':
      return ['features', 'trail', 'endpoints', 'owners'];
    case 'DataSource':
      return ['feature groups'];
    default:
      return [];
  }
}

/** The question a follow-up asks about the thread's subject; undefined when the words say nothing known. */
export function interpretFollowUp(text: string, subject: { kind: Kind; input: string }): QuestionRequest | undefined {
  const words = text.toLowerCase();
  const rule = (RULES[subject.kind] ?? []).find((r) => r.pattern.test(words));
  if (!rule) return undefined;
  const as = subject.kind === 'Endpoint' ? 'Endpoint' : subject.kind === 'Model' ? 'Model' : undefined;
  return { question: rule.question, input: subject.input, ...(as ? { as } : {}) };
}
