// Console mode: the same Bolt listeners, driven from a stream, printed as text.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../commands/messages.js';
import { SUBCOMMANDS } from '../../commands/subcommands.js';
import { createRuntime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ConsolePrinter, runConsole } from '../../src/console/console.js';
import { mrkdwnToText, renderMessage } from '../../src/console/render.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/index.js';

async function converse(lines: string[], pictureDir?: string): Promise<{ out: string; logs: string[] }> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => logs.push(line) });
  const output = new PassThrough();
  let out = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const printer = new ConsolePrinter(output);
  const memory = await openStore('sqlite::memory:');
  const runtime = await createRuntime(loadConfig({}), logger, { store: memory, deliver: (message) => printer.print(message), lookingAfterMs: 60_000, ...(pictureDir ? { pictureDir } : {}) });
  const input = PassThrough.from(lines.map((l) => `${l}\n`).join(''));
  await runConsole(runtime.consoleReceiver!, printer, { input, output, interactive: false });
  return { out, logs };
}

describe('renderer', () => {
  it('turns mrkdwn into plain text', () => {
    expect(mrkdwnToText('*2 models* use `a&amp;b` &lt;x&gt; <https://x.example|docs> :warning: _e.g._ x')).toBe(
      '2 models use a&b <x> docs (https://x.example) ! e.g. x',
    );
  });

  it('numbers buttons from where the session is', () => {
    const rendered = renderMessage(
      {
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Title' } },
          { type: 'section', text: { type: 'mrkdwn', text: 'Body' }, fields: [{ type: 'mrkdwn', text: '*a* 1' }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'note' }] },
          {
            type: 'actions',
            block_id: 'b',
            elements: [
              { type: 'button', action_id: 'x:0', text: { type: 'plain_text', text: 'One' }, value: '1' },
              { type: 'button', action_id: 'x:1', text: { type: 'plain_text', text: 'Two' }, value: '2' },
            ],
          },
        ],
      },
      7,
    );
    expect(rendered.text).toBe('Title\n=====\nBody\n  a 1\n  · note\n\n[7] One   [8] Two');
    expect(rendered.buttons).toEqual([
      { number: 7, actionId: 'x:0', blockId: 'b', value: '1', label: 'One' },
      { number: 8, actionId: 'x:1', blockId: 'b', value: '2', label: 'Two' },
    ]);
  });
});

describe('console conversation through Bolt', () => {
  it('answers commands, presses buttons by number and explains bad input', async () => {
    const { out, logs } = await converse([
      '/lineage fg customers',
      '1',
      'feature customers.age',
      '/lineage',
      '/lineage frobnicate x',
      '/lineage model',
      '/lineage model a b',
      '/lineage model nope',
      '/deploy now',
      '99',
    ]);
    expect(out).toContain('Consumers of feature group customers');
    expect(out).toContain('• churn-predictor → churn-predictor-prod');
    expect(out).toContain('[1] Upstream sources');
    // Button 1 asked for the upstream of customers.
    expect(out).toContain('What builds feature group customers');
    expect(out).toContain('customers.age (Integral) is used by the training queries of 2 models.');
    expect(out).toContain('Lineage bot: what you can ask');
    expect(out).toContain("I don't know the subcommand frobnicate.");
    expect(out).toContain('/lineage model needs something to look up.');
    expect(out).toContain('/lineage model takes one name, ARN or URI at a time.');
    expect(out).toContain("I couldn't find a model called nope.");
    expect(out).toContain('This bot answers /lineage only');
    expect(out).toContain('There is no button 99.');
    expect(out).not.toMatch(/at \w+ \(.*\.ts:\d+/); // no stack trace reaches the user
    expect(logs).toEqual([]);
  });
});

describe('pictures in the console', () => {
  it('/lineage graph and the Graph button write the PNG to a file and print its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-console-'));
    try {
      // The trail's buttons are 1–5 (Graph last), the consumers answer's 6–10: 10 is its Graph.
      const { out, logs } = await converse(['/lineage graph fraud-detector', '/lineage fg customers', '10'], dir);
      expect(out).toContain('Lineage trail of model fraud-detector');
      const fraud = join(dir, 'lineage-fraud-detector.png');
      expect(out).toContain(`Lineage around model fraud-detector: 12 entities.\nPicture written to ${fraud}`);
      expect(out).toContain('[10] Graph');
      const customers = join(dir, 'lineage-customers.png');
      expect(readFileSync(fraud).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(out).toContain(`Picture written to ${customers}`);
      expect(readFileSync(customers).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(logs).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('leaving the console', () => {
  it.each(['exit', 'EXIT', 'Quit', ' quit '])('"%s" ends the session: nothing after it is answered', async (word) => {
    const { out } = await converse([word, '/lineage fg customers']);
    expect(out).not.toContain('Consumers of feature group customers');
    expect(out).not.toContain("I don't know the subcommand");
  });

  it('the console carries no demo line: its banner already names the source', async () => {
    const { out } = await converse(['/lineage fg customers']);
    expect(out).toContain('Consumers of feature group customers');
    expect(out).not.toContain('Demo data:');
  });
});

describe('the README questions table against the console', () => {
  const readme = readFileSync('README.md', 'utf8');
  const rowOf = (usage: string) => readme.split('\n').find((line) => line.startsWith(`| \`${usage.replace(/\|/g, '\\|')}\``));

  it('lists every subcommand with its usage', () => {
    for (const subcommand of SUBCOMMANDS) expect(rowOf(subcommand.usage), subcommand.usage).toBeDefined();
  });

  it('says which help examples the console (with the demo) cannot answer, and what they need', async () => {
    const refusals = [
      { name: 'impact', refusal: MESSAGES.noticesNeedSlack, needs: 'needs Slack' },
      { name: 'deprecate', refusal: MESSAGES.noticesNeedSlack, needs: 'needs Slack' },
      { name: 'infer', refusal: MESSAGES.inferNeedsSageMaker, needs: 'needs `LINEAGE_SOURCE=sagemaker`' },
    ];
    for (const { name, refusal, needs } of refusals) {
      const subcommand = SUBCOMMANDS.find((s) => s.names.includes(name));
      const { out } = await converse([`/lineage ${subcommand?.example ?? name}`]);
      expect(out).toContain(mrkdwnToText(refusal));
      expect(rowOf(subcommand?.usage ?? name), name).toContain(needs);
    }
  });
});

describe('npm start in console mode (the README quick start)', () => {
  it('prints the consumers of customers and the trail of fraud-detector, then exits at end of input', async () => {
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SLACK_') && !key.startsWith('LINEAGE_'))),
      STORE_URL: 'sqlite::memory:',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: process.cwd(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdin.end('/lineage feature-group customers\n/lineage model fraud-detector\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('To connect Slack');
    for (const expected of [
      'churn-predictor → churn-predictor-prod',
      'fraud-detector → fraud-detector-prod',
      'Lineage trail of model fraud-detector',
      's3://demo-ml-lake/raw/claims.csv',
      's3://demo-ml-lake/raw/customers.csv',
      'fraud-feature-pipeline-20251101',
      '• claims — customer_id (join key), claim_amount, incident_severity, collision_type, fraud (selected), event_time (filter)',
      '• customers — customer_id (join key), age, tenure_months, num_claims_12m (selected)',
      's3://demo-ml-lake/datasets/fraud-detector/train/train.csv',
      'fraud-detector-training-20251102',
      '• fraud-detector-prod',
    ]) {
      expect(out).toContain(expected);
    }
  }, 60_000);

  it('stops with a message naming the bad variable', async () => {
    const env = { ...process.env, PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxb-secret-value-1' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(err).toContain('PORT must be a whole number from 1 to 65535');
    expect(err).toContain('SLACK_SIGNING_SECRET is required');
    expect(err).not.toContain('xoxb-secret-value-1');
  }, 60_000);
});
