// The questions as data: what a slash command, a button or a thread follow-up asks for.
import type { Answer } from './answers.js';
import type { LineageService } from './service.js';

export const QUESTION_NAMES = [
  'dependencies',
  'consumers',
  'upstream',
  'builtFrom',
  'trail',
  'featureUsage',
  'search',
  'owners',
  'features',
] as const;
export type QuestionName = (typeof QUESTION_NAMES)[number];

export interface QuestionRequest {
  question: QuestionName;
  /** A name, ARN, S3 URI, "<group>.<feature>", or search text. */
  input: string;
  /** For model/endpoint questions: how to read a plain name. */
  as?: 'Model' | 'Endpoint';
}

/** Runs one question against the service. */
export function ask(service: LineageService, request: QuestionRequest): Promise<Answer> {
  const as = request.as ?? 'any';
  switch (request.question) {
    case 'dependencies':
      return service.dependencies(request.input, as);
    case 'consumers':
      return service.consumers(request.input);
    case 'upstream':
      return service.upstream(request.input);
    case 'builtFrom':
      return service.builtFrom(request.input);
    case 'trail':
      return service.trail(request.input, as);
    case 'featureUsage':
      return service.featureUsage(request.input);
    case 'search':
      return service.search(request.input);
    case 'owners':
      return service.owners(request.input, as);
    case 'features':
      return service.features(request.input);
  }
}
