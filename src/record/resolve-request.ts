// From what a person wrote (flags and/or a file) to a RecordRequest: query files read, code
// paths turned into git links, and the ways of saying one thing twice refused.
import { BadInput } from '../lineage/errors.js';
import { gitLink, type GitRunner } from './git-link.js';
import type { RecordRequest } from './request.js';
import { readUserFile, type ReadText, type RecordFile } from './request-file.js';

export interface ResolveDeps {
  read?: ReadText;
  git?: GitRunner;
  cwd?: string;
}

export interface ResolvedRequest {
  request: RecordRequest;
  /** Warnings about the git links (uncommitted or unpushed code). */
  notes: string[];
}

/** `base` (from a file) overridden member by member by `override` (from flags). */
export function mergeInputs(base: RecordFile, override: RecordFile): RecordFile {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) if (value !== undefined) merged[key] = value;
  // A query given one way replaces the other way of giving it.
  if (override.query !== undefined) delete merged['queryFile'];
  if (override.queryFile !== undefined) delete merged['query'];
  if (override.testQuery !== undefined) delete merged['testQueryFile'];
  if (override.testQueryFile !== undefined) delete merged['testQuery'];
  return merged as RecordFile;
}

async function text(inline: string | undefined, path: string | undefined, what: string, read?: ReadText): Promise<string | undefined> {
  if (inline !== undefined && path !== undefined) throw new BadInput(`Give the ${what} or a file holding it, not both.`);
  return path !== undefined ? readUserFile(path, read) : inline;
}

async function codeUrl(code: RecordFile['trainingCode'], deps: ResolveDeps, notes: string[]): Promise<string | undefined> {
  if (code === undefined) return undefined;
  if ('url' in code) return code.url;
  const link = await gitLink(code.path, { ...(deps.cwd !== undefined ? { cwd: deps.cwd } : {}), ...(deps.git ? { git: deps.git } : {}) });
  notes.push(...link.warnings);
  return link.url;
}

export async function resolveRequest(input: RecordFile, deps: ResolveDeps = {}): Promise<ResolvedRequest> {
  if (input.trainingJob === undefined) throw new BadInput('A training job is required (--training-job, or trainingJob in the file).');
  const notes: string[] = [];
  const [query, testQuery, trainingCodeUrl, processingCodeUrl] = await Promise.all([
    text(input.query, input.queryFile, 'query', deps.read),
    text(input.testQuery, input.testQueryFile, 'test query', deps.read),
    codeUrl(input.trainingCode, deps, notes),
    codeUrl(input.processingCode, deps, notes),
  ]);
  const request: RecordRequest = {
    trainingJob: input.trainingJob,
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.featureGroups !== undefined ? { featureGroups: input.featureGroups } : {}),
    ...(query !== undefined ? { query } : {}),
    ...(testQuery !== undefined ? { testQuery } : {}),
    ...(input.processingJob !== undefined ? { processingJob: input.processingJob } : {}),
    ...(input.processingCodeInput !== undefined ? { processingCodeInput: input.processingCodeInput } : {}),
    ...(input.processingInputs !== undefined ? { processingInputs: input.processingInputs } : {}),
    ...(input.trainChannel !== undefined ? { trainChannel: input.trainChannel } : {}),
    ...(input.testChannel !== undefined ? { testChannel: input.testChannel } : {}),
    ...(trainingCodeUrl !== undefined ? { trainingCodeUrl } : {}),
    ...(processingCodeUrl !== undefined ? { processingCodeUrl } : {}),
    ...(input.overwriteProperties !== undefined ? { overwriteProperties: input.overwriteProperties } : {}),
  };
  return { request, notes };
}
