// From what a message mentions to the questions worth answering about it: explicit references
// (ARNs, S3 URIs, console links) first, then words that are known entity names. Which question
// suits which kind is the registry's (questions.ts, firstFor).
import type { Kind } from './classify.js';
import { findReferences, type MessageText } from './text-references.js';
import { interpretFollowUp } from './followups.js';
import { questionFor as firstQuestionFor, type QuestionRequest } from './questions.js';
import type { LineageSource } from './lineage-source.js';

const ARN_KINDS: Record<string, Kind> = {
  'feature-group': 'FeatureGroup',
  model: 'Model',
  endpoint: 'Endpoint',
  'training-job': 'TrainingJob',
  'processing-job': 'ProcessingJob',
  'model-package': 'ModelPackage',
  'model-package-group': 'ModelPackage',
  pipeline: 'PipelineExecution',
};

export interface RecogniseOptions {
  /**
   * A question asked of the bot ("what does fraud-detector depend on?"): its words pick the
   * question about each entity it names, as a thread follow-up's do, before the kind's first
   * question. Off for a message someone else wrote (the shortcut), which asks nothing of the bot.
   */
  byWords?: boolean;
}

/** The words of `plain` without `name` in them, so an entity called "claims-data" does not ask about "data". */
function without(plain: string, name: string): string {
  return name ? plain.split(new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi')).join(' ') : plain;
}

/**
 * The questions a message asks implicitly, at most `limit`, in the order the references appear by
 * kind: ARNs, S3 URIs, console links, then known names.
 */
export async function recogniseQuestions(source: LineageSource, text: MessageText, limit: number, options: RecogniseOptions = {}): Promise<QuestionRequest[]> {
  const found = findReferences(text);
  const questionFor = (kind: Kind, input: string, name = input): QuestionRequest | undefined =>
    (options.byWords ? interpretFollowUp(without(text.plain, name), { kind, input }) : undefined) ?? firstQuestionFor(kind, input);
  const requests: QuestionRequest[] = [];
  for (const arn of found.arns) {
    const kind = ARN_KINDS[arn.resourceType];
    // A lineage ARN's kind is only known once resolved: ask for its trail if it is a model,
    // else what it feeds; the resolver says so if the kind does not fit.
    const request = kind ? questionFor(kind, arn.arn) : { question: 'trail' as const, input: arn.arn };
    if (request) requests.push(request);
  }
  for (const uri of found.s3Uris) {
    const request = questionFor('DataSource', uri);
    if (request) requests.push(request);
  }
  for (const link of found.consoleLinks) {
    // Asked by the link itself, so the region it points into is checked like an ARN's.
    const request = questionFor(link.kind, link.url);
    if (request) requests.push(request);
  }
  if (requests.length < limit && found.words.length > 0) {
    // The words are asked about (exact names, without regard to case), not looked up in a listing
    // of the account: the cost follows the message, and no name is beyond a listing's cap. A name
    // that is both (a model and its endpoint) is taken as the last kind asked, the endpoint.
    const known = await source.findNamed(found.words, ['FeatureGroup', 'Model', 'Endpoint']);
    const byName = new Map(known.map((hit) => [hit.name.toLowerCase(), hit]));
    for (const word of found.words) {
      const hit = byName.get(word.toLowerCase());
      const request = hit && questionFor(hit.kind, hit.name);
      if (request) requests.push(request);
    }
  }
  const unique = new Map(requests.map((r) => [`${r.question}\u0000${r.input}`, r]));
  return [...unique.values()].slice(0, limit);
}
