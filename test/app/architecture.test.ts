// DESIGN.md's boundaries are checked, not hoped for (STYLE.md 17): no import cycles among src/,
// commands/ and blocks/ (type-only imports included, as madge counts them), and the ESLint
// rules that keep the arrows pointing down do fail a wrong import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOTS = ['src', 'commands', 'blocks'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The project files a file imports (relative imports only; `.js` names the `.ts` beside it). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')))
    .filter((path) => existsSync(path))
    .map((path) => relative(process.cwd(), path));
}

/** Every cycle found by a depth-first walk, each once, as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('architecture', () => {
  it('has no import cycles in src/, commands/ and blocks/', () => {
    const graph = new Map(ROOTS.flatMap(sources).map((file) => [file, importsOf(file)]));
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph).map((cycle) => cycle.join(' > '))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  // Each wrong arrow of DESIGN.md, written into a file where it does not belong.
  const WRONG: [file: string, source: string][] = [
    ['src/lineage/example.ts', "import { COMMAND } from '../../commands/subcommands.js';"],
    ['src/notices/example.ts', "import { buildError } from '../../blocks/index.js';"],
    ['src/record/example.ts', "import { buildError } from '../../blocks/index.js';"],
    ['src/lineage/example.ts', "import type { App } from '@slack/bolt';"],
    ['blocks/example.ts', "import { SageMakerClient } from '@aws-sdk/client-sagemaker';"],
    ['blocks/example.ts', "import type { Store } from '../src/store/index.js';"],
    ['src/console/example.ts', "import { MESSAGES } from '../../commands/messages.js';"],
  ];

  it.each(WRONG)('refuses a wrong arrow in %s: %s', async (filePath, source) => {
    const [result] = await new ESLint().lintText(`${source}\nexport {};\n`, { filePath });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });

  // Slack's markup and the slash command are the Slack layer's (commands/), never the domain's.
  const SLACK_IN_DOMAIN: string[] = [
    "export const hint = 'Example: /lineage search fraud';",
    'export const hint = (text: string) => `Try /lineage search ${text}`;',
    "export const decode = (text: string) => text.replace(/&amp;/g, '&');",
    'export const mention = (id: string) => `<@${id}>`;',
    "export const ping = '<!here>';",
    "export const channel = /<#C[A-Z0-9]+>/;",
  ];

  it.each(SLACK_IN_DOMAIN)('refuses Slack markup in src/lineage: %s', async (source) => {
    const [result] = await new ESLint().lintText(`${source}\n`, { filePath: 'src/lineage/example.ts' });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });

  it('lets the domain name its own files and the Slack layer write markup', async () => {
    const allowed: [string, string][] = [
      ['src/lineage/example.ts', "import type { LineageSource } from './lineage-source.js';\nexport const path = '/lineages/x';\nexport type { LineageSource };"],
      ['commands/example.ts', "export const hint = 'Example: /lineage search fraud';\nexport const decode = (text: string) => text.replace(/&amp;/g, '&');"],
    ];
    for (const [filePath, source] of allowed) {
      const [result] = await new ESLint().lintText(`${source}\n`, { filePath });
      expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-syntax'), filePath).toEqual([]);
    }
  });

  it('lets the arrows that point down through', async () => {
    const allowed: [string, string][] = [
      ['commands/example.ts', "import { buildError } from '../blocks/index.js';"],
      ['src/console/example.ts', "import { COMMAND } from '../../commands/index.js';"],
      ['blocks/example.ts', "import type { Answer } from '../src/lineage/questions.js';"],
    ];
    for (const [filePath, source] of allowed) {
      const [result] = await new ESLint().lintText(`${source}\nexport {};\n`, { filePath });
      expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports'), filePath).toEqual([]);
    }
  });
});
