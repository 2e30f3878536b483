// .env.example is the operator's list of variables: it must name exactly the variables the zod
// schema reads, explain each one, and show the default loadConfig really applies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';

const lines = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');

/** `#NAME=value` (or `NAME=value`) lines, with the comment line just above each. */
function entries(): Array<{ name: string; value: string; comment: string }> {
  const found: Array<{ name: string; value: string; comment: string }> = [];
  lines.forEach((line, index) => {
    const match = /^#?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) return;
    let above = index - 1;
    while (above >= 0 && /^#?[A-Z][A-Z0-9_]*=/.test(lines[above] as string)) above -= 1;
    found.push({ name: match[1] as string, value: match[2] as string, comment: lines[above] ?? '' });
  });
  return found;
}

describe('.env.example', () => {
  it('lists exactly the variables of the schema in src/config.ts, each once', () => {
    const names = entries().map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('explains every variable in a comment above it', () => {
    for (const entry of entries()) expect(entry.comment, entry.name).toMatch(/^# \S.{10,}/);
  });

  it('shows the real default of every variable: setting it to the listed value changes nothing', () => {
    const defaults = loadConfig({});
    for (const entry of entries()) expect(loadConfig({ [entry.name]: entry.value }), entry.name).toEqual(defaults);
  });
});
