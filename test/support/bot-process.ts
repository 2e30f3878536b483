// The real entry point (src/main.ts) as a child process in HTTP mode, against a fake Slack on
// 127.0.0.1 and a lineage snapshot file: for tests that kill it (SIGKILL), restart it, or send it
// what would crash it. Requests to it are signed as Slack signs them.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Snapshot } from '../../src/lineage/sources/snapshot-file.js';
import { SIGNING_SECRET } from './slack-requests.js';

export const BOT_TOKEN = 'xoxb-child-process-token';

export interface BotProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything written to stderr (the log) so far. */
  log(): string;
  /** Waits until the log matches (or the process exits, which fails). */
  waitForLog(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Kills it and resolves with how it ended. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited(): boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Writes a snapshot where LINEAGE_SNAPSHOT can read it. */
export function writeSnapshot(dir: string, snapshot: Snapshot): string {
  const path = join(dir, 'lineage.json');
  writeFileSync(path, JSON.stringify(snapshot));
  return path;
}

export interface BotOptions {
  slackApiUrl: string;
  storeUrl: string;
  /** A lineage snapshot file; without one, the embedded demo. */
  snapshotPath?: string;
  port?: number;
  env?: Record<string, string>;
}

/** Starts src/main.ts and resolves once it says it is listening. */
export async function startBot(options: BotOptions): Promise<BotProcess> {
  const port = options.port ?? (await freePort());
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !/^(SLACK_|LINEAGE_|AWS_|STORE_|PORT$)/.test(entry[0]),
  );
  const env = {
    ...Object.fromEntries(inherited),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    PORT: String(port),
    STORE_URL: options.storeUrl,
    ...(options.snapshotPath ? { LINEAGE_SOURCE: 'snapshot', LINEAGE_SNAPSHOT: options.snapshotPath } : { LINEAGE_SOURCE: 'demo' }),
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: process.cwd(), env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void ended.then(() => (done = true));
  const bot: BotProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    exited: () => done,
    async waitForLog(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const matches = () => (typeof pattern === 'string' ? log.includes(pattern) : pattern.test(log));
      while (!matches()) {
        if (done) throw new Error(`The bot exited before logging ${String(pattern)}:\n${log}`);
        if (Date.now() > deadline) throw new Error(`The bot did not log ${String(pattern)} within ${timeoutMs} ms:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill(signal) {
      if (!done) child.kill(signal);
      return ended;
    },
  };
  await bot.waitForLog('Listening for Slack');
  return bot;
}
