// A browsable link to code in the local git checkout, for a Code artifact's GitURL — what
// ml-lineage-helper's get_repo_link does, but pinned to the commit that ran (a branch moves on),
// with credentials never copied out of the remote URL, and only local git commands (no network).
import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { BadInput } from '../lineage/errors.js';

/** Runs git with `args` in `cwd` and returns its standard output. */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<string>;

export const runGit: GitRunner = (args, cwd) =>
  new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      [...args],
      // Never prompt (a credential helper has nothing to do here) and read git's messages in English.
      { cwd, timeout: 10_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout) => (error ? reject(error) : resolvePromise(stdout.trim())),
    );
  });

export interface GitLink {
  url: string;
  /** Reasons the link may not show what ran: uncommitted changes, a commit not pushed. */
  warnings: string[];
}

/** A hosted repository's web address from a remote URL (https, ssh, scp-like); undefined for local paths. */
export function repositoryWebUrl(remote: string): string | undefined {
  const text = remote.trim();
  let host: string;
  let path: string;
  let scheme = 'https';
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (!text.includes('://') && scpLike) {
    [, host, path] = scpLike as unknown as [string, string, string];
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(url.protocol) || url.hostname === '') return undefined;
    // A web URL keeps its port; an ssh port says nothing about where the web pages are.
    host = url.protocol === 'https:' || url.protocol === 'http:' ? url.host : url.hostname;
    if (url.protocol === 'http:') scheme = 'http';
    path = decodeURIComponent(url.pathname); // the user and password of the URL are left behind here
  }
  path = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (path === '') return undefined;
  // Azure DevOps: git@ssh.dev.azure.com:v3/org/project/repo is browsed at dev.azure.com/org/project/_git/repo.
  const azure = /^v3\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (host === 'ssh.dev.azure.com' && azure) return `https://dev.azure.com/${azure[1]}/${azure[2]}/_git/${azure[3]}`;
  return `${scheme}://${host}/${path}`;
}

/** The web link to one file or folder at one commit, in the form each well-known host uses. */
export function fileWebUrl(repository: string, commit: string, path: string, isDirectory: boolean): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const host = new URL(repository).hostname;
  if (host === 'dev.azure.com') return `${repository}?path=/${encoded}&version=GC${commit}`;
  if (host === 'bitbucket.org') return `${repository}/src/${commit}/${encoded}`;
  const kind = isDirectory ? 'tree' : 'blob';
  return host === 'gitlab.com' ? `${repository}/-/${kind}/${commit}/${encoded}` : `${repository}/${kind}/${commit}/${encoded}`;
}

/** The GitURL of `path` (a file or folder in a git checkout), resolved from `cwd`. */
export async function gitLink(path: string, options: { cwd?: string; git?: GitRunner } = {}): Promise<GitLink> {
  const git = options.git ?? runGit;
  const absolute = resolve(options.cwd ?? process.cwd(), path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch {
    throw new BadInput(`There is no file or folder ${path} to link to.`);
  }
  const where = info.isDirectory() ? absolute : dirname(absolute);
  const ask = async (args: string[], failure: string, hint?: string): Promise<string> => {
    try {
      return await git(args, where);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BadInput('git is not installed here.', 'Give the code URL instead of a path.');
      throw new BadInput(failure, hint);
    }
  };
  const top = await ask(['rev-parse', '--show-toplevel'], `${path} is not in a git checkout.`, 'Give the code URL instead of a path.');
  const inRepo = relative(await realpath(top), await realpath(absolute)).split(sep).join('/');
  const remotes = (await ask(['remote'], `Could not list the git remotes of ${top}.`)).split('\n').filter(Boolean);
  const remoteName = remotes.includes('origin') ? 'origin' : remotes[0];
  if (remoteName === undefined) throw new BadInput(`The git checkout ${top} has no remote to link to.`, 'Give the code URL instead of a path.');
  const repository = repositoryWebUrl(await ask(['remote', 'get-url', remoteName], `Could not read git remote ${remoteName}.`));
  // The remote URL itself is not repeated: it may carry a token.
  if (!repository) throw new BadInput(`Git remote ${remoteName} of ${top} is not a hosted repository URL.`, 'Give the code URL instead of a path.');
  const commit = await ask(['rev-parse', 'HEAD'], `The git checkout ${top} has no commit yet.`);
  return { url: fileWebUrl(repository, commit, inRepo, info.isDirectory()), warnings: await linkWarnings(git, top, path, inRepo, commit) };
}

async function linkWarnings(git: GitRunner, top: string, path: string, inRepo: string, commit: string): Promise<string[]> {
  const warnings: string[] = [];
  const status = await git(['status', '--porcelain', '--', inRepo === '' ? '.' : inRepo], top);
  if (status.split('\n').some((line) => line.startsWith('??'))) warnings.push(`${path} is not committed, so its link shows nothing until it is.`);
  else if (status !== '') warnings.push(`${path} has uncommitted changes; its link shows the committed version (${commit.slice(0, 12)}).`);
  // Remote-tracking branches are what this checkout last fetched: a local answer, possibly stale, never a network call.
  const onRemote = await git(['branch', '--remotes', '--contains', commit], top).catch(() => '');
  if (onRemote === '') warnings.push(`Commit ${commit.slice(0, 12)} is on no remote branch known here; push it, or the link to ${path} will not resolve.`);
  return warnings;
}
