// The two benchmark questions, their ground truth, and the comparable core of an answer.
import type { ConsumersAnswer, DependenciesAnswer } from '../src/lineage/answers.js';
import { LineageService, type ServiceLimits } from '../src/lineage/service.js';
import { SnapshotSource } from '../src/lineage/sources/snapshot.js';
import type { Snapshot } from '../src/lineage/sources/snapshot-file.js';
import type { Random } from './random.js';

export type QuestionKind = 'consumers' | 'dependencies';

export interface Question {
  kind: QuestionKind;
  /** Feature group name (consumers) or model name (dependencies). */
  subject: string;
  /** Its answer needs more than QueryLineage's 10 hops. */
  deep: boolean;
  /** A consumers question whose answer includes models reading groups built from the subject. */
  derived: boolean;
}

/** What both our service and the naive client can be compared on: names, sorted. */
export interface CoreAnswer {
  models: string[];
  endpoints: string[];
  featureGroups: string[];
}

export function ask(service: LineageService, question: Question): Promise<ConsumersAnswer | DependenciesAnswer> {
  return question.kind === 'consumers' ? service.consumers(question.subject) : service.dependencies(question.subject, 'Model');
}

export function core(answer: ConsumersAnswer | DependenciesAnswer): CoreAnswer {
  const names = (refs: readonly { name: string }[]) => [...new Set(refs.map((r) => r.name))].sort((a, b) => a.localeCompare(b));
  return answer.question === 'consumers'
    ? { models: names(answer.models.map((m) => m.model)), endpoints: names(answer.endpoints), featureGroups: [] }
    : { models: [], endpoints: [], featureGroups: names(answer.featureGroups.map((f) => f.featureGroup)) };
}

export function sameCore(a: CoreAnswer, b: CoreAnswer): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Answers from the snapshot itself: no network, no cache, nothing to cut short. */
export function truthService(account: Snapshot, limits: ServiceLimits): LineageService {
  return new LineageService(new SnapshotSource(account, 'ground truth'), limits);
}

/**
 * A sample of each question kind with at least `deep` questions whose answer lies beyond 10 hops:
 * those are found by asking the truth again with a 10-hop limit and seeing the answer change.
 * Among the consumers questions, `derived` more are about groups other groups are built from, and
 * their answers include the consumers of those (a question that is both counts as deep).
 */
export async function sampleQuestions(
  account: Snapshot,
  limits: ServiceLimits,
  random: Random,
  perKind: number,
  deep: number,
  derived = 0,
): Promise<Question[]> {
  const truth = truthService(account, limits);
  const shallow = truthService(account, { ...limits, maxDepth: 10 });
  const candidates: Record<QuestionKind, string[]> = {
    consumers: random.sample(
      account.FeatureGroups.map((f) => f.FeatureGroupName),
      account.FeatureGroups.length,
    ),
    dependencies: random.sample(
      account.Models.map((m) => m.ModelName),
      account.Models.length,
    ),
  };
  const questions: Question[] = [];
  for (const kind of ['consumers', 'dependencies'] as const) {
    const wantDerived = kind === 'consumers' ? derived : 0;
    const deepOnes: Question[] = [];
    const derivedOnes: Question[] = [];
    const others: Question[] = [];
    for (const subject of candidates[kind]) {
      if (deepOnes.length >= deep && derivedOnes.length >= wantDerived && others.length >= perKind - deep - wantDerived) break;
      const question = { kind, subject, deep: false, derived: false };
      const answer = await ask(truth, question);
      const full = core(answer);
      const limited = core(await ask(shallow, question));
      const isDeep = !sameCore(full, limited);
      const isDerived = answer.question === 'consumers' && answer.models.some((m) => m.through);
      const marked = { ...question, deep: isDeep, derived: isDerived };
      if (isDerived && derivedOnes.length < wantDerived) derivedOnes.push(marked);
      else if (isDeep && deepOnes.length < deep) deepOnes.push(marked);
      else if (!isDeep && !isDerived && others.length < perKind - deep - wantDerived) others.push(marked);
    }
    questions.push(...deepOnes, ...derivedOnes, ...others);
  }
  return questions;
}
