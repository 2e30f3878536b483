// A recording request written down: a JSON or YAML file a pipeline keeps next to its code.
// Parsed with zod at the boundary; paths in it (query files, code) are relative to the file.
import { readFile as readFileFromDisk } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BadInput } from '../lineage/errors.js';

const Code = z.union([z.strictObject({ url: z.string().min(1) }), z.strictObject({ path: z.string().min(1) })], {
  message: 'must be { url: … } or { path: … }',
});

/** A list of names, or one string of them ("customers", "customers,claims") as the repeatable flags take them. */
const Names = z.union([
  z.array(z.string().min(1)),
  z.string().min(1).transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean)),
]);

export const RecordFileSchema = z.strictObject({
  trainingJob: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  featureGroups: Names.optional(),
  query: z.string().min(1).optional(),
  queryFile: z.string().min(1).optional(),
  testQuery: z.string().min(1).optional(),
  testQueryFile: z.string().min(1).optional(),
  processingJob: z.string().min(1).optional(),
  processingCodeInput: z.string().min(1).optional(),
  processingInputs: Names.optional(),
  trainChannel: z.string().min(1).optional(),
  testChannel: z.union([z.string().min(1), z.literal(false)]).optional(),
  trainingCode: Code.optional(),
  processingCode: Code.optional(),
  overwriteProperties: z.boolean().optional(),
});

export type RecordFile = z.output<typeof RecordFileSchema>;

export type ReadText = (path: string) => Promise<string>;
export const readText: ReadText = (path) => readFileFromDisk(path, 'utf8');

/** Reads text the user named (a query file), with the path in the error. */
export async function readUserFile(path: string, read: ReadText = readText): Promise<string> {
  try {
    return await read(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new BadInput(`Cannot read ${path}: ${reason}.`);
  }
}

/** Parses JSON, or YAML for .yml/.yaml files. */
export async function parseDocument(path: string, text: string): Promise<unknown> {
  const yaml = ['.yml', '.yaml'].includes(extname(path).toLowerCase());
  if (!yaml) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new BadInput(`${path} is not valid JSON: ${(error as Error).message}`);
    }
  }
  try {
    return parseYaml(text);
  } catch (error) {
    // The whole message: after "at line L, column C:" it quotes the line with a caret under the place.
    throw new BadInput(`${path} is not valid YAML: ${(error as Error).message.trimEnd()}`);
  }
}

/** Validates a parsed document against `schema`, every problem named by its path in the file. */
export function validateDocument<S extends z.ZodType>(schema: S, document: unknown, path: string): z.output<S> {
  const result = schema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new BadInput(`${path} is not a valid file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return result.data;
}

/** Reads a recording request file; its relative paths are made absolute against the file's folder. */
export async function readRecordFile(path: string, read: ReadText = readText): Promise<RecordFile> {
  const file = validateDocument(RecordFileSchema, await parseDocument(path, await readUserFile(path, read)), path);
  const base = dirname(resolve(path));
  const at = (relative: string) => resolve(base, relative);
  const code = (value: RecordFile['trainingCode']) => (value && 'path' in value ? { path: at(value.path) } : value);
  return {
    ...file,
    ...(file.queryFile !== undefined ? { queryFile: at(file.queryFile) } : {}),
    ...(file.testQueryFile !== undefined ? { testQueryFile: at(file.testQueryFile) } : {}),
    ...(file.trainingCode !== undefined ? { trainingCode: code(file.trainingCode) } : {}),
    ...(file.processingCode !== undefined ? { processingCode: code(file.processingCode) } : {}),
  };
}
