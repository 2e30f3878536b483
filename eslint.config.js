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
    // The console front end and the CLI write to stdout on purpose.
    files: ['src/console/**', 'src/main.ts', 'src/cli/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
