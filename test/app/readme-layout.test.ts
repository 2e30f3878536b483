// The README's Development section is the newcomer's file map (STYLE.md 18): one path a line, and
// it has to match the tree, so a moved or renamed file or a new folder fails here until it does.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The first word of each line of the Development section's layout block (continuation lines start with spaces). */
function layoutPaths(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Development\n'));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(' '))
    .map((line) => line.split(/\s+/)[0] as string);
}

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => [`${join(dir, entry.name)}/`, ...folders(join(dir, entry.name))]);
}

describe('the README layout', () => {
  it('names only paths that exist, one a line', () => {
    const paths = layoutPaths();
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((path) => !existsSync(path))).toEqual([]);
    expect(paths.filter((path) => path.includes(','))).toEqual([]);
  });

  it('lists every folder of src/, commands/ and blocks/', () => {
    const listed = new Set(layoutPaths());
    const all = ['src/', 'commands/', 'blocks/', ...['src', 'commands', 'blocks'].flatMap(folders)];
    expect(all.filter((folder) => !listed.has(folder))).toEqual([]);
  });
});
