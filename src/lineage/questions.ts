// The registry of lineage questions: one entry per question, and everything that lists questions
// reads it — the /lineage subcommands and their help (commands/subcommands.ts), thread follow-ups
// (followups.ts), the first question about what a message names (recognise.ts), next-step
// buttons (blocks/elements.ts) and rendering (blocks/builders.ts, one builder a question, typed by it).
// Adding a question is an entry here, its builder (one line in blocks/builders.ts), and its test:
// the answers' union below is read from the entries, so answers.ts need not list it.
import type { Kind } from './classify.js';
import type { LineageService } from './service.js';
import type { ResourceKind } from './lineage-source.js';

type As = 'Model' | 'Endpoint';

/** A /lineage subcommand that asks the question. */
export interface SubcommandEntry {
  names: readonly string[];
  usage: string;
  description: string;
  example: string;
  /** How a plain name is read. */
  as?: As;
  /** Search text may contain spaces; names and ARNs may not. */
  freeText?: boolean;
  /** Where it stands in `/lineage help` (lower first). */
  helpRank: number;
}

/** Words that ask the question in the thread of an answer about an entity of one of `kinds`. */
export interface FollowUpEntry {
  kinds: readonly Kind[];
  pattern: RegExp;
  /** What to suggest asking when nothing matched. */
  hints: readonly string[];
}

/** What every answer carries: the name of the question it answers, which picks its builder. */
export interface AnswerBase {
  question: string;
}

export interface QuestionEntry<A extends AnswerBase = AnswerBase> {
  /** What its input may name: kinds of entity, a "<group>.<feature>", or free text (the service resolves it and says so when it does not fit). */
  accepts: readonly (Kind | 'feature' | 'text')[];
  /** `page` is the page of its main list being shown: a question that describes only what a page shows reads it. */
  run(service: LineageService, input: string, as: As | 'any', page: number): Promise<A>;
  subcommands?: readonly SubcommandEntry[];
  followUps?: readonly FollowUpEntry[];
  /** Matched before other questions' follow-up words ("who owns the features" asks for owners). */
  followUpFirst?: boolean;
  /** The kinds this is the natural first question about (a mention, a bare name, an error's hint), and how to read the name. */
  firstFor?: readonly { kind: Kind | ResourceKind; as?: As }[];
}

const MODEL_LIKE: readonly Kind[] = ['Model', 'ModelPackage', 'Endpoint'];

/** Follow-up rules are tried in this order (after `followUpFirst` ones); hints are listed in it. */
export const QUESTIONS = {
  upstream: {
    accepts: ['FeatureGroup'],
    run: (service, input) => service.upstream(input),
    subcommands: [{ names: ['upstream'], usage: 'upstream <feature-group>', description: 'The raw data sources, pipelines and code that build a feature group.', example: 'upstream claims', helpRank: 4 }],
    followUps: [{ kinds: ['FeatureGroup'], pattern: /\b(upstream|sources?|built|builds?|pipelines?|raw|inputs?|comes? from|where from|code)\b/, hints: ['upstream'] }],
  },
  features: {
    accepts: ['FeatureGroup'],
    run: (service, input) => service.features(input),
    followUps: [{ kinds: ['FeatureGroup'], pattern: /\b(features?|columns?|schema|definitions?|fields?)\b/, hints: ['features'] }],
  },
  dependencies: {
    accepts: ['Model', 'ModelPackage', 'Endpoint', 'TrainingJob'],
    run: (service, input, as) => service.dependencies(input, as),
    subcommands: [
      { names: ['endpoint'], usage: 'endpoint <name|arn>', as: 'Endpoint', description: 'The feature groups (and features) an endpoint depends on.', example: 'endpoint fraud-detector-prod', helpRank: 2 },
      { names: ['deps', 'dependencies'], usage: 'deps <model|endpoint|training-job>', description: 'The feature groups and features of a model, an endpoint or a training job.', example: 'deps churn-predictor', helpRank: 7 },
    ],
    followUps: [{ kinds: MODEL_LIKE, pattern: /\b(features?|feature groups?|deps|dependencies|depends?)\b/, hints: ['features'] }],
    firstFor: [{ kind: 'Endpoint', as: 'Endpoint' }, { kind: 'TrainingJob' }],
  },
  consumers: {
    accepts: ['FeatureGroup'],
    run: (service, input, _as, page) => service.consumers(input, page, { deprecation: true }),
    subcommands: [{ names: ['feature-group', 'fg'], usage: 'feature-group <name|arn>', description: 'The models and endpoints that consume a feature group (alias: fg).', example: 'fg customers', helpRank: 3 }],
    followUps: [{ kinds: ['FeatureGroup'], pattern: /\b(endpoints?|models?|consumers?|consumes?|downstream|uses?|used|impact|affected|depends?)\b/, hints: ['endpoints'] }],
    firstFor: [{ kind: 'FeatureGroup' }],
  },
  trail: {
    accepts: ['Model', 'ModelPackage', 'Endpoint', 'TrainingJob'],
    run: (service, input, as) => service.trail(input, as),
    subcommands: [
      {
        names: ['model'],
        usage: 'model <name|arn>',
        as: 'Model',
        description: 'The whole trail of a model (or a model package group, or a training job): data sources, pipelines, feature groups, datasets, training job, endpoints.',
        example: 'model fraud-detector',
        helpRank: 1,
      },
      { names: ['trail'], usage: 'trail <model|endpoint|training-job>', description: 'The whole trail, data source to endpoint, of a model, of the model behind an endpoint, or of a training job.', example: 'trail fraud-detector-prod', helpRank: 8 },
    ],
    followUps: [
      {
        kinds: MODEL_LIKE,
        pattern: /\b(trail|lineage|upstream|sources?|data|pipelines?|train(ed|ing)?|endpoints?|deploy(ed|ments?)?|downstream|everything|all)\b/,
        hints: ['trail', 'endpoints'],
      },
    ],
    firstFor: [{ kind: 'Model', as: 'Model' }, { kind: 'ModelPackage', as: 'Model' }],
  },
  builtFrom: {
    accepts: ['DataSource', 'ProcessingJob', 'FeaturePipeline', 'PipelineExecution'],
    run: (service, input) => service.builtFrom(input),
    subcommands: [
      {
        names: ['source'],
        usage: 'source <s3-uri|arn|file-name|job>',
        description: 'The feature groups already built from a data source, or built by a processing job or pipeline execution.',
        example: 'source s3://demo-ml-lake/raw/claims.csv',
        helpRank: 5,
      },
    ],
    followUps: [{ kinds: ['DataSource'], pattern: /\b(feature groups?|features?|built|builds?|downstream|used|uses?|consumers?)\b/, hints: ['feature groups'] }],
    firstFor: [{ kind: 'DataSource' }, { kind: 'ProcessingJob' }, { kind: 'FeaturePipeline' }, { kind: 'PipelineExecution' }],
  },
  featureUsage: {
    accepts: ['feature'],
    run: (service, input) => service.featureUsage(input),
    subcommands: [
      {
        names: ['feature'],
        usage: 'feature <feature-group>.<feature>',
        description: "The models whose training data's feature-store queries use one feature, and how (selected, join key, filter…).",
        example: 'feature customers.age',
        helpRank: 6,
      },
    ],
  },
  search: {
    accepts: ['text'],
    run: (service, input) => service.search(input),
    subcommands: [{ names: ['search'], usage: 'search <text>', freeText: true, description: 'Feature groups, models, endpoints and data sources whose name contains the text.', example: 'search claims', helpRank: 9 }],
  },
  owners: {
    accepts: ['FeatureGroup', 'Model', 'ModelPackage', 'Endpoint'],
    run: (service, input, as, page) => service.owners(input, as, page),
    followUps: [{ kinds: ['FeatureGroup', ...MODEL_LIKE], pattern: /\b(owners?|owned|who owns|contacts?|team)\b/, hints: ['owners'] }],
    followUpFirst: true,
  },
} as const satisfies Record<string, QuestionEntry>;

export type QuestionName = keyof typeof QUESTIONS;
export const QUESTION_NAMES = Object.keys(QUESTIONS) as [QuestionName, ...QuestionName[]];

/** What each question answers, by name: the type a builder of that question receives. */
export type AnswerOf<Q extends QuestionName> = Awaited<ReturnType<(typeof QUESTIONS)[Q]['run']>>;

/** Any question's answer: what blocks/ renders, told apart by `question`. */
export type Answer = AnswerOf<QuestionName>;

/** The entries whose answer names another question (which would be rendered by that one's builder). */
type Misnamed = { [Q in QuestionName]: AnswerOf<Q>['question'] extends Q ? never : Q }[QuestionName];
/** Fails to compile, naming the entry, unless every entry's answer names that entry. */
type _EveryAnswerNamesItsEntry = NoneOf<Misnamed>;
type NoneOf<T extends never> = T;

export interface QuestionRequest {
  question: QuestionName;
  /** A name, ARN, S3 URI, "<group>.<feature>", or search text. */
  input: string;
  /** For model/endpoint questions: how to read a plain name. */
  as?: As;
}

/** Runs one question against the service, for the page of its answer to be shown (0, the first, unless *More* was pressed). */
export function ask(service: LineageService, request: QuestionRequest, page = 0): Promise<Answer> {
  return QUESTIONS[request.question].run(service, request.input, request.as ?? 'any', page);
}

/** The natural first question about an entity of this kind. */
export function questionFor(kind: Kind | ResourceKind, input: string): QuestionRequest | undefined {
  for (const [question, entry] of Object.entries(QUESTIONS) as [QuestionName, QuestionEntry][]) {
    const first = entry.firstFor?.find((f) => f.kind === kind);
    if (first) return { question, input, ...(first.as ? { as: first.as } : {}) };
  }
  return undefined;
}

/** The follow-up rules, in the order they are tried. */
export function followUpRules(): { question: QuestionName; rule: FollowUpEntry }[] {
  const entries = Object.entries(QUESTIONS) as [QuestionName, QuestionEntry][];
  const ordered = [...entries.filter(([, e]) => e.followUpFirst), ...entries.filter(([, e]) => !e.followUpFirst)];
  return ordered.flatMap(([question, entry]) => (entry.followUps ?? []).map((rule) => ({ question, rule })));
}

/** Every subcommand that asks a question, with the question it asks. */
export function questionSubcommands(): (SubcommandEntry & { question: QuestionName })[] {
  return (Object.entries(QUESTIONS) as [QuestionName, QuestionEntry][]).flatMap(([question, entry]) => (entry.subcommands ?? []).map((s) => ({ ...s, question })));
}
