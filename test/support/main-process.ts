// The real entry point (src/main.ts) run once as a child process, as an operator or a pipeline
// step runs a command: its exit code and what it printed.
import { spawn } from 'node:child_process';

/** The environment without anything that configures the bot, AWS or Slack. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const kept = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !/^(SLACK_|LINEAGE_|AWS_)/.test(entry[0]),
  );
  return {
    ...Object.fromEntries(kept),
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    STORE_URL: 'sqlite::memory:',
    ...extra,
  };
}

/**
 * Runs `src/main.ts` with stdin closed; resolves with its exit code, what it wrote to each stream,
 * and everything it printed (both streams, in order).
 */
export async function runMain(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; output: string; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = { output: '', stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].on('data', (chunk: Buffer) => {
      printed.output += chunk.toString();
      printed[stream] += chunk.toString();
    });
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, ...printed };
}
