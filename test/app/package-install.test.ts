// What an operator gets from `npm pack`: the tarball installed into an empty folder with
// production dependencies only must start, answer --help, answer a console question and draw a
// picture exactly as the sources do. Slow on purpose (the install builds better-sqlite3
// natively), so it packs and installs once; npm's cache is reused and preferred, so a warm
// machine needs no network.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const QUESTION = '/lineage fg customers\n';

/** The environment of a fresh shell: nothing that would switch the bot out of console mode. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([key]) => !/^(SLACK_|LINEAGE_|AWS_|STORE_URL$|PORT$)/.test(key));
  return { ...Object.fromEntries(kept), ...extra };
}

describe('the package from npm pack, installed with --omit=dev', () => {
  let work = '';
  let app = '';
  let files: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lineage-bot-pack-'));
    // prepack runs `npm run build`, so this also proves the build works from the sources.
    const packed = await run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { maxBuffer: 16 << 20 });
    const tarball = join(work, packed.stdout.trim().split('\n').at(-1) ?? '');
    files = (await run('tar', ['-tzf', tarball], { maxBuffer: 16 << 20 })).stdout.trim().split('\n');
    app = join(work, 'app');
    mkdirSync(app);
    // better-sqlite3's install script builds the native module; allow it without a warning.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'install-check', private: true, allowScripts: { 'better-sqlite3': true } }));
    await run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      cwd: app,
      maxBuffer: 16 << 20,
    });
  }, 600_000);

  // The installed tree is tens of thousands of files: removing them can take a while on a busy machine.
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  }, 120_000);

  it('ships the built JavaScript, the bin, the policies and the licence, and no TypeScript, tests or benchmarks', () => {
    for (const expected of ['package/dist/src/main.js', 'package/bin/lineage-bot.mjs', 'package/iam/read-only.json', 'package/iam/record.json', 'package/LICENSE', 'package/CHANGELOG.md', 'package/manifest.yml']) {
      expect(files).toContain(expected);
    }
    expect(files.filter((f) => f.endsWith('.ts') || /^package\/(src|test|bench)\//.test(f))).toEqual([]);
  });

  it('installs no dev dependency', () => {
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, 'better-sqlite3', 'package.json'))).toBe(true);
    for (const dev of ['tsx', 'typescript', 'vitest', 'nock', 'eslint']) expect(existsSync(join(modules, dev)), dev).toBe(false);
  });

  it('answers lineage-bot --help as the sources do', async () => {
    const installed = await run(join(app, 'node_modules', '.bin', 'lineage-bot'), ['--help'], { cwd: app, env: plainEnv() });
    const sources = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--help'], { env: plainEnv() });
    expect(installed.stdout).toContain('Usage:');
    expect(installed.stdout).toBe(sources.stdout);
    expect(installed.stderr).toBe('');
  }, 60_000);

  it('answers a console question from the embedded demo, in a folder of its own, as the sources do', async () => {
    const path = `${join(app, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`;
    // Exactly what a newcomer types; the default store (./data/lineage-bot.db) is created in the folder.
    const installed = await run('sh', ['-c', `printf '${QUESTION.replace('\n', '\\n')}' | lineage-bot`], { cwd: app, env: plainEnv({ PATH: path }) });
    const sources = await run('sh', ['-c', `printf '${QUESTION.replace('\n', '\\n')}' | "${process.execPath}" --import tsx src/main.ts`], {
      env: plainEnv({ STORE_URL: 'sqlite::memory:' }),
    });
    expect(installed.stderr).toBe('');
    expect(installed.stdout).toContain('Consumers of feature group customers');
    expect(installed.stdout).toContain('churn-predictor → churn-predictor-prod');
    expect(installed.stdout).toBe(sources.stdout);
    expect(existsSync(join(app, 'data', 'lineage-bot.db'))).toBe(true);
  }, 60_000);

  it('draws a picture with the fonts, the layout and the rasteriser it installed, as the sources do', async () => {
    // Files read at run time (fonts found by require.resolve, Graphviz's WebAssembly, resvg's native module) from dist/.
    await run(join(app, 'node_modules', '.bin', 'lineage-bot'), ['graph', 'customers', '--out', 'customers.png'], { cwd: app, env: plainEnv() });
    await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'graph', 'customers', '--out', join(work, 'sources.png')], { env: plainEnv() });
    const installed = readFileSync(join(app, 'customers.png'));
    expect(installed.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(installed.equals(readFileSync(join(work, 'sources.png')))).toBe(true);
  }, 60_000);
});
