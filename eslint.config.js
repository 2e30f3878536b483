// Lint: typescript-eslint's recommended rules plus the few habits STYLE.md asks for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Slack's markup in a string, template or regular expression: a slash command ("/lineage …"),
 * <@U…>, <#C…>, <!here> or the entities Slack writes text with. esquery's regular expressions may
 * not hold a "/", hence \x2F.
 */
const SLACK_MARKUP = String.raw`\x2Flineage(?![\w./-])|<[@#!]|&(amp|lt|gt);`;
const NO_SLACK_MARKUP = [
  'error',
  ...['Literal', 'TemplateElement'].map((node) => ({
    selector: node === 'Literal' ? `Literal[raw=/${SLACK_MARKUP}/]` : `TemplateElement[value.raw=/${SLACK_MARKUP}/]`,
    message: 'src/lineage speaks no Slack: slash commands, mentions and entities are read and written in commands/ (commands/slack-text.ts, commands/subcommands.ts).',
  })),
];

/** src/ is below the listeners and builders: they use it, never the reverse. */
const SRC_NO_LISTENERS = {
  group: ['**/commands/**', '**/commands', '**/blocks/**', '**/blocks'],
  message: 'src/ never imports commands/ or blocks/: they depend on src/ (only the composition root src/app.ts and the console front end wire them).',
};

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
  // DESIGN.md's arrows as lint rules (STYLE.md 17): a wrong import fails `npm test`. Flat config
  // replaces a rule's options for the files a later block matches, so each folder lists every
  // pattern that applies to it. Import cycles are checked by test/architecture.test.ts.
  {
    files: ['src/**'],
    ignores: ['src/app.ts', 'src/console/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [SRC_NO_LISTENERS] }] },
  },
  {
    // The domain never depends on the renderer, and knows nothing of Slack: not its packages, nor
    // its markup or the slash command in a string (an example to show is a question, not a command).
    files: ['src/lineage/**'],
    rules: {
      'no-restricted-syntax': NO_SLACK_MARKUP,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            SRC_NO_LISTENERS,
            { group: ['**/picture/**'], message: 'src/lineage knows nothing of pictures: src/picture depends on it, not the reverse.' },
            { group: ['@slack/*'], message: 'src/lineage imports no Slack package: Slack markup is read and written in commands/ and blocks/.' },
          ],
        },
      ],
    },
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
            SRC_NO_LISTENERS,
            { group: ['@slack/*'], message: 'The notices domain imports no Slack package: declare a port in src/notices/ports.ts and implement it in src/notices/slack/.' },
            { group: ['**/store/*', '**/store'], message: 'The notices domain does not import the store: it declares the port it needs in src/notices/ports.ts, and src/store implements it.' },
          ],
        },
      ],
    },
  },
  {
    // One HTTP-mock harness (STYLE.md 9, 16): nock is imported only by test/support/http-mock.ts,
    // which installs the no-network checks every test runs under; the rest use its httpMock.
    files: ['test/**', 'bench/**', 'scripts/**'],
    ignores: ['test/support/http-mock.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'nock', message: 'Import httpMock from test/support/http-mock.ts: nock is imported in that one place.' }] }],
    },
  },
  {
    // The console front end runs the listeners as registered; it renders with blocks/.
    files: ['src/console/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/commands/**', '!**/commands/index.js'], message: 'src/console reaches commands/ only through commands/index.ts, never into its internals.' }] },
      ],
    },
  },
  {
    // Builders are pure: no AWS, no storage.
    files: ['blocks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@aws-sdk/*', '@smithy/*', '**/src/store/**', '**/src/store'], message: 'blocks/ knows nothing of AWS or the store: builders take plain answers from src/.' }] },
      ],
    },
  },
  {
    // The console front end, the CLI, the bench and the drill write to stdout on purpose.
    files: ['src/console/**', 'src/main.ts', 'src/cli/**', 'bench/**', 'drill/**'],
    rules: { 'no-console': 'off' },
  },
);
