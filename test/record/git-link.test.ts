// Git links for Code artifacts: web addresses from every remote form (credentials never kept),
// per-host file links, and gitLink over a real local checkout — no network: the "remote" is a
// bare repository on disk, renamed to a hosted URL after pushing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInput } from '../../src/lineage/errors.js';
import { fileWebUrl, gitLink, repositoryWebUrl } from '../../src/record/git-link.js';

describe('repositoryWebUrl', () => {
  it.each([
    ['git@github.com:example-org/churn.git', 'https://github.com/example-org/churn'],
    ['github.com:example-org/churn', 'https://github.com/example-org/churn'],
    ['ssh://git@gitlab.example.com:2222/ml/churn.git', 'https://gitlab.example.com/ml/churn'],
    ['https://github.com/example-org/churn.git', 'https://github.com/example-org/churn'],
    ['https://ci-bot:ghp_secretsecret@github.com/example-org/churn.git', 'https://github.com/example-org/churn'],
    ['http://git.internal:8080/ml/churn/', 'http://git.internal:8080/ml/churn'],
    ['git@ssh.dev.azure.com:v3/example-org/ml/churn', 'https://dev.azure.com/example-org/ml/_git/churn'],
  ])('%s → %s', (remote, url) => {
    expect(repositoryWebUrl(remote)).toBe(url);
  });

  it.each(['/srv/git/churn.git', '../churn', 'file:///srv/git/churn.git', ''])('%j is not hosted', (remote) => {
    expect(repositoryWebUrl(remote)).toBeUndefined();
  });
});

describe('fileWebUrl', () => {
  const commit = '0123456789abcdef0123456789abcdef01234567';
  it.each([
    ['https://github.com/o/r', false, `https://github.com/o/r/blob/${commit}/src/train%20v2.py`],
    ['https://github.com/o/r', true, `https://github.com/o/r/tree/${commit}/src/train%20v2.py`],
    ['https://gitlab.com/o/r', false, `https://gitlab.com/o/r/-/blob/${commit}/src/train%20v2.py`],
    ['https://bitbucket.org/o/r', false, `https://bitbucket.org/o/r/src/${commit}/src/train%20v2.py`],
    ['https://dev.azure.com/o/p/_git/r', false, `https://dev.azure.com/o/p/_git/r?path=/src/train%20v2.py&version=GC${commit}`],
  ])('%s (folder: %s)', (repository, folder, url) => {
    expect(fileWebUrl(repository, commit, 'src/train v2.py', folder)).toBe(url);
  });
});

describe('gitLink over a local checkout', () => {
  let root: string;
  let checkout: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: checkout,
      encoding: 'utf8',
    }).trim();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-git-'));
    checkout = join(root, 'churn');
    execFileSync('git', ['init', '--bare', '-b', 'main', join(root, 'remote.git')]);
    mkdirSync(join(checkout, 'pipelines'), { recursive: true });
    execFileSync('git', ['init', '-b', 'main', checkout]);
    writeFileSync(join(checkout, 'pipelines', 'train.py'), 'print("train")\n');
    writeFileSync(join(checkout, 'pipelines', 'features.py'), 'print("features")\n');
    git('add', '.');
    git('commit', '-m', 'pipelines');
    git('remote', 'add', 'origin', join(root, 'remote.git'));
    git('push', 'origin', 'main');
    // What the checkout of a hosted repository says, with a token as CI systems often embed one.
    git('remote', 'set-url', 'origin', 'https://ci-bot:ghp_secretsecret@github.com/example-org/churn.git');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('links a committed, pushed file at its commit, with no warning', async () => {
    const commit = git('rev-parse', 'HEAD');
    expect(await gitLink('pipelines/train.py', { cwd: checkout })).toEqual({
      url: `https://github.com/example-org/churn/blob/${commit}/pipelines/train.py`,
      warnings: [],
    });
    // From inside a subfolder, and for a folder.
    expect((await gitLink('train.py', { cwd: join(checkout, 'pipelines') })).url).toBe(`https://github.com/example-org/churn/blob/${commit}/pipelines/train.py`);
    expect((await gitLink('pipelines', { cwd: checkout })).url).toBe(`https://github.com/example-org/churn/tree/${commit}/pipelines`);
  });

  it('warns about uncommitted changes, files never committed, and commits not pushed', async () => {
    writeFileSync(join(checkout, 'pipelines', 'features.py'), 'print("features v2")\n');
    writeFileSync(join(checkout, 'pipelines', 'evaluate.py'), 'print("evaluate")\n');
    const commit = git('rev-parse', 'HEAD').slice(0, 12);
    expect((await gitLink('pipelines/features.py', { cwd: checkout })).warnings).toEqual([
      `pipelines/features.py has uncommitted changes; its link shows the committed version (${commit}).`,
    ]);
    expect((await gitLink('pipelines/evaluate.py', { cwd: checkout })).warnings).toEqual([
      'pipelines/evaluate.py is not committed, so its link shows nothing until it is.',
    ]);
    git('add', '.');
    git('commit', '-m', 'evaluate');
    const unpushed = git('rev-parse', 'HEAD').slice(0, 12);
    expect((await gitLink('pipelines/evaluate.py', { cwd: checkout })).warnings).toEqual([
      `Commit ${unpushed} is on no remote branch known here; push it, or the link to pipelines/evaluate.py will not resolve.`,
    ]);
  });

  it('fails clearly outside a checkout, for a missing file, and for a remote that is not hosted', async () => {
    await expect(gitLink('nope.py', { cwd: checkout })).rejects.toThrow(new BadInput('There is no file or folder nope.py to link to.'));
    writeFileSync(join(root, 'loose.py'), '\n');
    await expect(gitLink('loose.py', { cwd: root })).rejects.toThrow('loose.py is not in a git checkout.');
    git('remote', 'set-url', 'origin', join(root, 'remote.git'));
    await expect(gitLink('pipelines/train.py', { cwd: checkout })).rejects.toThrow(`Git remote origin of ${checkout} is not a hosted repository URL.`);
  });
});
