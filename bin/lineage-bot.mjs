#!/usr/bin/env node
// `lineage-bot …`. Installed from the package (npm pack, the container) it runs the JavaScript
// that `npm run build` put in dist/, with production dependencies only. In a clone, where the
// TypeScript sources are and tsx (a dev dependency) is installed, it runs the sources as checked
// out, so `npx lineage-bot export …` needs no build step and never runs a stale dist/.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

const sources = new URL('../src/main.ts', import.meta.url);
const built = new URL('../dist/src/main.js', import.meta.url);

function tsxInstalled() {
  try {
    createRequire(import.meta.url).resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

if (existsSync(sources) && tsxInstalled()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write('lineage-bot is not built: run `npm run build` (or `npm ci` to run the sources through tsx).\n');
  process.exitCode = 1;
}
