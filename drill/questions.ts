// Question scenarios: the real bot reading a fake SageMaker on 127.0.0.1 (the demo account, over
// SageMaker's wire protocol) that throttles, fails with 5xx or answers slowly, and crafted requests
// that once killed the process. Each question must be acknowledged within Slack's 3 s and answered
// once; the process must live.
import { createHmac } from 'node:crypto';
import { demoSnapshot } from '../src/lineage/demo/demo-snapshot.js';
import type { BotProcess } from '../test/support/bot-process.js';
import { FakeError, startFakeSageMaker, type FakeSageMaker } from '../test/support/fake-sagemaker.js';
import { FakeSlack } from '../test/support/slack-fake.js';
import { postSigned, SIGNING_SECRET, slashCommand } from '../test/support/slack-requests.js';
import { startSlackServer, type FakeSlackServer } from '../test/support/slack-server.js';
import type { ScenarioContext } from './announcements.js';
import { eventually, row, sleep, type Row } from './harness.js';

/** Slack shows the user an error when a request is not acknowledged within this. */
const ACK_LIMIT_MS = 3000;
const ANSWER_TIMEOUT_MS = 90_000;
const ASKER = { id: 'UASKER', name: 'Asker' };
/** Owner of feature group customers in the demo account (its owner tag is this email). */
const PRIYA = { id: 'UPRIYA', name: 'Priya Nair', email: 'priya.nair@example.com' };
const CHANNEL = { id: 'CDRILL', name: 'ml-platform' };

interface SageMakerFault {
  /**
   * Answers a request with an error instead. `attempt` numbers the sendings of one request (the
   * same operation and body: the SDK's retries of it) from 1. Counting per request, not across all
   * calls, is what makes "every other attempt" a fault the retries absorb: with one counter for
   * every call, concurrent requests interleave, and one of them can draw the failing numbers on all
   * its attempts (AWS_MAX_ATTEMPTS, 5) while another draws the good ones, so the drill then saw
   * a correct "SageMaker is throttling" error where it wanted an answer, in about 3 runs of 5.
   */
  fail?: (attempt: number) => FakeError | undefined;
  delayMs?: number;
}

export interface QuestionScenario {
  fault: string;
  expected: string;
  /** A fake SageMaker with this fault; without one, the embedded demo. */
  sagemaker?: SageMakerFault;
  /** Signed junk sent first; each must get 400. */
  malformed?: { body: string; contentType: string }[];
  /** The slash-command texts asked. */
  questions: string[];
  /** /lineage deprecate: the modal must open (views.open) within the ack limit and be filled in later. */
  deprecate?: boolean;
}

const FORM = 'application/x-www-form-urlencoded';

export const QUESTION_SCENARIOS: QuestionScenario[] = [
  {
    fault: 'SageMaker throttling (every other attempt)',
    expected: 'each question answered once, ack < 3 s',
    sagemaker: { fail: (attempt) => (attempt % 2 === 1 ? new FakeError('ThrottlingException', 'Rate exceeded') : undefined) },
    questions: ['fg customers', 'model fraud-detector'],
  },
  {
    fault: 'SageMaker 5xx (every other attempt)',
    expected: 'each question answered once, ack < 3 s',
    sagemaker: { fail: (attempt) => (attempt % 2 === 1 ? new FakeError('ServiceUnavailable', 'Service is unavailable', 503) : undefined) },
    questions: ['fg customers', 'model fraud-detector'],
  },
  {
    fault: 'SageMaker slow (1.5 s a call)',
    expected: 'each question answered once, ack < 3 s',
    sagemaker: { delayMs: 1500 },
    questions: ['fg customers'],
  },
  {
    fault: 'SageMaker slow (2.5 s a call): /lineage deprecate',
    expected: 'modal opens < 3 s, then filled in',
    sagemaker: { delayMs: 2500 },
    questions: ['deprecate customers'],
    deprecate: true,
  },
  {
    fault: 'malformed: signed payload=null, JSON null, []',
    expected: '400 each, then answered, no crash',
    malformed: [
      { body: new URLSearchParams({ payload: 'null' }).toString(), contentType: FORM },
      { body: 'null', contentType: 'application/json' },
      { body: new URLSearchParams({ payload: '[]' }).toString(), contentType: FORM },
      { body: '{"type":"event_callback","event":null}', contentType: 'application/json' },
    ],
    questions: ['fg customers'],
  },
];

/** Signed as Slack signs, any body and content type (postSigned's status and text are not enough for junk). */
async function postRaw(url: string, body: string, contentType: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

async function startSageMaker(fault: SageMakerFault): Promise<FakeSageMaker> {
  const fail = fault.fail;
  return startFakeSageMaker(demoSnapshot(), {
    ...(fault.delayMs ? { delayMs: fault.delayMs } : {}),
    ...(fail ? { fault: ({ attempt }) => fail(attempt) } : {}),
  });
}

export async function runQuestions(scenario: QuestionScenario, context: ScenarioContext): Promise<Row> {
  const fake = new FakeSlack({ users: [ASKER, PRIYA], channels: [{ ...CHANNEL, members: [ASKER.id, PRIYA.id] }] });
  const server = await startSlackServer(fake);
  const sagemaker = scenario.sagemaker ? await startSageMaker(scenario.sagemaker) : undefined;
  const base = { store: context.store, fault: scenario.fault, expected: scenario.expected };
  try {
    const env: Record<string, string> = sagemaker
      ? {
          LINEAGE_SOURCE: 'sagemaker',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'AKIDDRILLEXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'drill-secret-access-key',
          AWS_ENDPOINT_URL_SAGEMAKER: sagemaker.url,
        }
      : {};
    const bot = await context.processes.start({ slackApiUrl: server.url, storeUrl: context.storeUrl, env });
    const problems: string[] = [];
    for (const junk of scenario.malformed ?? []) {
      const status = await postRaw(bot.url, junk.body, junk.contentType).catch(() => 0);
      if (status !== 400 && !junk.body.startsWith('{')) problems.push(`${junk.body} got ${status}`);
    }
    const asked = await Promise.all(scenario.questions.map((text) => ask(bot, server, fake, text, scenario.deprecate === true)));
    const ackMs = Math.max(...asked.map((a) => a.ackMs));
    if (ackMs > ACK_LIMIT_MS) problems.push(`acknowledged after ${(ackMs / 1000).toFixed(1)} s`);
    for (const a of asked) if (a.problem) problems.push(a.problem);
    // A health check after everything: the process still serves.
    const health = await fetch(`${bot.url}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
    if (health !== 200) problems.push(`/healthz answered ${health}`);
    await sleep(500);
    const answers = asked.map((a) => a.answers());
    return row({
      ...base,
      sent: answers.filter((n) => n > 0).length,
      duplicates: answers.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
      lost: answers.filter((n) => n === 0).length,
      crashes: context.processes.crashes().length,
      ackMs,
      doneMs: Math.max(...asked.map((a) => a.doneMs)),
      ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
    });
  } finally {
    await context.processes.stopAll();
    await sagemaker?.close();
    await server.close();
  }
}

interface Asked {
  ackMs: number;
  doneMs: number;
  /** How many answers it got (1 is right). */
  answers(): number;
  problem?: string;
}

/**
 * Asks one slash command. An answer is a message in the channel naming the subject, or a reply to
 * the asker only (an error); for deprecate, the modal filled in by views.update.
 */
async function ask(bot: BotProcess, server: FakeSlackServer, fake: FakeSlack, text: string, deprecate: boolean): Promise<Asked> {
  const user = deprecate ? PRIYA.id : ASKER.id;
  const command = new URLSearchParams(slashCommand({ text, user, channel: CHANNEL.id }).body);
  const responseUrl = `${server.responseUrlBase}${encodeURIComponent(text)}`;
  command.set('response_url', responseUrl);
  const triggerId = command.get('trigger_id');
  const subject = text.split(' ').at(-1) ?? text;
  const started = performance.now();
  const answered = await postSigned(bot.url, command.toString()).catch((error: unknown) => ({ status: 0, text: String(error) }));
  const ackMs = performance.now() - started;
  const problem = answered.status === 200 ? undefined : `"${text}" got ${answered.status}`;
  const answers = deprecate
    ? () => fake.views.filter((v) => v.updates > 0).length
    : () => fake.messagesIn(CHANNEL.id).filter((m) => m.text.includes(subject) && !/looking up/i.test(m.text)).length;
  let openMs = ackMs;
  let late: string | undefined;
  try {
    if (deprecate) {
      await eventually(() => fake.callsTo('views.open').some((p) => p['trigger_id'] === triggerId), 'the modal to open', ANSWER_TIMEOUT_MS);
      openMs = performance.now() - started;
      if (openMs > ACK_LIMIT_MS) late = `the modal opened after ${(openMs / 1000).toFixed(1)} s (expired_trigger_id)`;
    }
    await eventually(() => answers() > 0, `an answer to "${text}"`, ANSWER_TIMEOUT_MS);
  } catch (error) {
    late = (error as Error).message;
  }
  const doneMs = performance.now() - started;
  // An error told to the asker alone is no answer: the faults are ones the bot's retries absorb.
  const error = fake.responses.find((r) => r.url === responseUrl && r.body['response_type'] !== 'in_channel');
  // The error first: it says why no answer came, where "timed out" alone reads as a lost answer.
  const found = problem ?? (error ? `"${text}" was answered with an error: ${String(error.body['text']).slice(0, 100)}` : late);
  return { ackMs: Math.max(ackMs, openMs), doneMs, answers, ...(found ? { problem: found } : {}) };
}
