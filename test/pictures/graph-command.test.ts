// `lineage-bot graph`: files in each format, DOT and SVG on standard output, usage problems,
// unknown entities, and the command run for real against the embedded demo, offline.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_OWNERS_NOTE, GRAPH_USAGE, runGraph } from '../../src/cli/graph.js';
import { PictureService } from '../../src/picture/pictures.js';
import { PictureRenderer } from '../../src/picture/render.js';
import { demoService } from '../support/demo.js';

function run(args: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const printed: string[] = [];
  const pictures = new PictureService({ service: demoService(), renderer: new PictureRenderer(), ownersNote: CLI_OWNERS_NOTE });
  const done = runGraph(args, {
    pictures,
    write: (path, bytes) => writeFile(path, bytes),
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    print: (text) => printed.push(text),
  });
  return { done, lines, errors, printed };
}

const dir = mkdtempSync(join(tmpdir(), 'lineage-graph-'));

describe('lineage-bot graph', () => {
  it('writes a PNG, its format told by the extension', async () => {
    const out = join(dir, 'fraud.png');
    const { done, lines } = run(['fraud-detector', '--out', out]);
    expect(await done).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(PNG, [\\d,]+ bytes, \\d+ × \\d+ px\\): Lineage around model fraud-detector: 12 entities\\.$`));
  });

  it('writes SVG and DOT files, and --format wins over the extension', async () => {
    const svg = join(dir, 'customers.svg');
    expect(await run(['customers', '--out', svg]).done).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg /);
    const dot = join(dir, 'customers.txt');
    expect(await run(['customers', '--out', dot, '--format', 'dot']).done).toBe(0);
    expect(readFileSync(dot, 'utf8')).toMatch(/^digraph lineage \{/);
  });

  it('prints DOT on standard output without --out', async () => {
    const { done, printed, lines } = run(['customers', '--format', 'dot']);
    expect(await done).toBe(0);
    expect(printed.join('')).toBe(readFileSync(new URL('../fixtures/pictures/graph-customers.dot', import.meta.url), 'utf8'));
    expect(lines).toEqual([]);
  });

  it('draws the blast radius with --impact, owners said to be unknown from the command line', async () => {
    const { done, printed } = run(['customers', '--impact', '--format', 'svg']);
    expect(await done).toBe(0);
    const svg = printed.join('');
    expect(svg).toContain('Who a change to feature group customers reaches');
    expect(svg).toContain('owners not looked up from the command line');
  });

  it.each([
    [[], 'Name the entity to draw.'],
    [['a', 'b', '--format', 'dot'], 'Name one entity (quote a name with spaces).'],
    [['customers'], 'Give --format png, svg or dot (or an --out file ending in .png, .svg or .dot).'],
    [['customers', '--out', 'x.gif'], 'Cannot tell the format from "x.gif": end it in .png, .svg or .dot, or give --format.'],
    [['customers', '--format', 'png'], 'A PNG needs --out <file.png>.'],
    [['customers', '--format', 'jpeg', '--out', 'x.png'], 'Give --format png, svg or dot (or an --out file ending in .png, .svg or .dot).'],
    [['customers', '--colour'], "Unknown option '--colour'"],
  ])('refuses %j with usage, exit 2', async (args, message) => {
    const { done, errors } = run(args);
    expect(await done).toBe(2);
    expect(errors[0]).toContain(message);
    expect(errors[1]).toBe(GRAPH_USAGE);
  });

  it('says why there is no picture of an unknown entity, exit 1', async () => {
    const { done, errors } = run(['fraud-detectr', '--format', 'dot']);
    expect(await done).toBe(1);
    expect(errors).toEqual(['No picture: No feature group or model or endpoint or data source found for "fraud-detectr"']);
  });

  it('refuses --impact of a model, exit 1', async () => {
    const { done, errors } = run(['fraud-detector', '--impact', '--format', 'dot']);
    expect(await done).toBe(1);
    expect(errors[0]).toMatch(/^No picture: /);
  });

  it('runs from the command line against the embedded demo, offline', async () => {
    const out = join(dir, 'cli.png');
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(SLACK_|LINEAGE_|AWS_)/.test(e[0])));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'graph', 'customers', '--impact', '--out', out], {
      cwd: process.cwd(),
      env: { ...env, LINEAGE_SOURCE: 'demo', STORE_URL: 'sqlite::memory:' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote ${out} (PNG,`);
    expect(readFileSync(out).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
