// The production install (`npm ci --omit=dev`, the container, the packed tarball) has only
// `dependencies`: every package the shipped code loads at run time must be declared there, not
// reached through another package's dependencies or the dev tools.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPUTED, COMPUTED_LOADS, packageOf, shippedImports } from '../support/source-imports.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('package.json dependencies', () => {
  const imports = shippedImports();

  it('declares every package the shipped code loads at run time', () => {
    const loaded = new Set(imports.filter((i) => !i.typeOnly).map((i) => packageOf(i.module)).filter((p) => p !== undefined));
    expect(loaded.size).toBeGreaterThan(5);
    const undeclared = [...loaded].filter((name) => !Object.hasOwn(manifest.dependencies, name)).sort();
    expect(undeclared).toEqual([]);
  });

  it('knows the package behind every module loaded with a specifier computed at run time', () => {
    const computed = [...new Set(imports.filter((i) => i.module.startsWith(COMPUTED)).map((i) => i.file))].sort();
    expect(computed).toEqual(Object.keys(COMPUTED_LOADS).sort());
    for (const [file, name] of Object.entries(COMPUTED_LOADS)) expect(Object.hasOwn(manifest.dependencies, name), `${file} loads ${name}`).toBe(true);
  });

  it('keeps tsx a dev tool: only npm start, the benchmarks and a clone run TypeScript', () => {
    expect(Object.hasOwn(manifest.dependencies, 'tsx')).toBe(false);
    expect(Object.hasOwn(manifest.devDependencies, 'tsx')).toBe(true);
    expect(manifest.scripts['build']).toContain('tsc -p tsconfig.build.json');
  });
});
