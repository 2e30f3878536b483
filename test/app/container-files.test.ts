// The Dockerfile and compose.yaml say what the README promises. CI cannot build images, so this
// reads them; scripts/verify-container.sh builds and runs the image by hand.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { parse } from 'yaml';

/** Dockerfile instructions, continuation lines joined, comments left out. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync('Dockerfile', 'utf8'));
const runtimeStage = dockerfile.slice(dockerfile.map((i) => i.op).lastIndexOf('FROM'));
const args = (op: string) => runtimeStage.filter((i) => i.op === op).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both on the Node 20 slim base unless BASE names another', () => {
    expect(dockerfile[0]).toEqual({ op: 'ARG', args: 'BASE=node:20-slim' });
    expect(dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args)).toEqual(['${BASE} AS build', '${BASE}']);
  });

  it('runs the compiled entry point as a non-root numeric user, with production dependencies only', () => {
    const [entrypoint] = args('ENTRYPOINT');
    const command = JSON.parse(entrypoint ?? '[]') as string[];
    expect(command[0]).toBe('node');
    expect(command[1]).toBe('/app/dist/src/main.js');
    // tsconfig.build.json compiles the repository root into dist/: src/main.ts → dist/src/main.js.
    const build = ts.readConfigFile('tsconfig.build.json', ts.sys.readFile).config as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: '.', outDir: 'dist' });
    expect(existsSync('src/main.ts')).toBe(true);
    const [user] = args('USER');
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    const buildStage = dockerfile.slice(0, dockerfile.length - runtimeStage.length);
    expect(buildStage.some((i) => i.op === 'RUN' && i.args.includes('npm prune --omit=dev'))).toBe(true);
    expect(args('COPY').filter((a) => /\b(src|test|bench)\b/.test(a) && !a.includes('dist'))).toEqual([]);
  });

  it('keeps the SQLite store on the /data volume and checks /healthz on PORT', () => {
    const env = args('ENV').join(' ');
    expect(env).toContain('STORE_URL=sqlite:/data/');
    expect(env).toMatch(/PORT=3000\b/);
    expect(args('VOLUME')).toEqual(['/data']);
    const [healthcheck] = args('HEALTHCHECK');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toContain('process.env.PORT');
  });
});

describe('compose.yaml', () => {
  const compose = parse(readFileSync('compose.yaml', 'utf8')) as {
    services: Record<string, { build?: string; image?: string; env_file?: string; environment?: Record<string, string>; deploy?: { replicas?: number }; depends_on?: Record<string, { condition: string }>; stop_grace_period?: string }>;
  };
  const bot = compose.services['bot'];
  const postgres = compose.services['postgres'];

  it('runs two replicas of the image built here, with the Slack settings from .env', () => {
    expect(bot?.build).toBe('.');
    expect(bot?.deploy?.replicas).toBe(2);
    expect(bot?.env_file).toBe('.env');
  });

  it('points both at the PostgreSQL service, once it is ready', () => {
    const store = new URL((bot?.environment?.['STORE_URL'] ?? '').replace(/\$\{[^}]*\}/, 'password'));
    expect(store.protocol).toBe('postgres:');
    expect(store.hostname).toBe('postgres');
    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(bot?.depends_on?.['postgres']?.condition).toBe('service_healthy');
  });

  it('gives a stopping replica longer than the 25 s it lets answers in flight finish', () => {
    expect(Number.parseInt(bot?.stop_grace_period ?? '0', 10)).toBeGreaterThan(25);
    expect(bot?.stop_grace_period).toMatch(/^\d+s$/);
  });
});
