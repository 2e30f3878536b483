// Lint: typescript-eslint's recommended rules plus the few habits STYLE.md asks for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // DESIGN.md's arrows for pictures: the domain never depends on the renderer.
    files: ['src/lineage/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/picture/**'], message: 'src/lineage knows nothing of pictures: src/picture depends on it, not the reverse.' }] }] },
  },
  {
    // The renderer is Slack-free, so the command line and any front end can draw with it.
    files: ['src/picture/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@slack/*', '**/blocks/**', '**/commands/**'], message: 'src/picture must not depend on Slack or its listeners.' }] }],
    },
  },
  {
    // The notices domain owns its ports (src/notices/ports.ts): Slack is reached only through
    // src/notices/slack/, and storage only through the port src/store implements.
    files: ['src/notices/**'],
    ignores: ['src/notices/slack/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@slack/*'], message: 'The notices domain imports no Slack package: declare a port in src/notices/ports.ts and implement it in src/notices/slack/.' },
            { group: ['**/store/*', '**/store'], message: 'The notices domain does not import the store: it declares the port it needs in src/notices/ports.ts, and src/store implements it.' },
          ],
        },
      ],
    },
  },
  {
    // The console front end, the CLI, the bench and the drill write to stdout on purpose.
    files: ['src/console/**', 'src/main.ts', 'src/cli/**', 'bench/**', 'drill/**'],
    rules: { 'no-console': 'off' },
  },
);
