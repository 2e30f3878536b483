// Write-back scenarios (NOTICE_WRITE_BACK=true): the real bot reads and writes a fake SageMaker on
// 127.0.0.1 (the demo account); Priya deprecates feature group claims for today, replaced by
// claims-v2, and the bot's reminder loop (a tick at start, then every minute) marks the group.
// A fault strikes around the AddTags. Counted from the store and the fake SageMaker afterwards:
// the group must carry the tags, the write-back be recorded once, and the announcer hear nothing
// unless the write was refused for good — then once.
import { DEPRECATE_MODAL } from '../blocks/notices/index.js';
import { demoSnapshot } from '../src/lineage/demo/demo-snapshot.js';
import { DEPRECATION_TAGS } from '../src/lineage/deprecation.js';
import { utcDate } from '../src/notices/schedule.js';
import { openStore } from '../src/store/index.js';
import type { BotOptions, BotProcess } from '../test/support/bot-process.js';
import { FakeError, startFakeSageMaker, type FakeSageMaker } from '../test/support/fake-sagemaker.js';
import { FakeSlack } from '../test/support/slack-fake.js';
import { formValues, postSigned, viewSubmission } from '../test/support/slack-requests.js';
import { startSlackServer } from '../test/support/slack-server.js';
import type { ScenarioContext } from './announcements.js';
import { row, sleep, type Row } from './harness.js';

const PRIYA = { id: 'UPRIYA', name: 'Priya Nair', email: 'priya.nair@example.com' };
const CHANNEL = { id: 'CDRILL', name: 'ml-platform' };
const GROUP = 'claims';
const REPLACEMENT = 'claims-v2';
/** The first tick after the announcement comes within a minute (the loop's interval); a restart ticks at once. */
const WRITE_TIMEOUT_MS = 120_000;
/** After the write, how long the drill keeps watching for a second one. */
const SETTLE_MS = 3000;

interface Tools {
  sagemaker: FakeSageMaker;
  /** Runs `hook` as each AddTags arrives, before it is answered (and applied). */
  onAddTags(hook: () => void): void;
  bots: BotProcess[];
  kill9(bot: BotProcess): void;
  struck(): void;
}

export interface WriteBackScenario {
  fault: string;
  expected: string;
  postgresOnly?: boolean;
  replicas?: number;
  /** Installs the fault on the fake SageMaker before the announcement. */
  install(tools: Tools): void;
  /** The write is refused for good: one failure recorded and one message to the announcer, no tags. */
  refused?: boolean;
  /** AddTags that SageMaker takes before the write is done: 2 when the first reply is lost. Default 1. */
  writes?: number;
}

export const WRITE_BACK_SCENARIOS: WriteBackScenario[] = [
  {
    fault: 'write-back: kill -9 as AddTags is sent (reply lost)',
    expected: 'tagged, recorded once, after restart',
    writes: 2,
    install: (tools) => {
      let killed = false;
      tools.onAddTags(() => {
        const bot = tools.bots.find((b) => !b.exited());
        if (killed || !bot) return;
        killed = true;
        tools.kill9(bot);
        tools.struck();
      });
    },
  },
  {
    fault: 'write-back: SageMaker throttles AddTags 5 times',
    expected: 'tagged, recorded once, retried',
    install: (tools) => {
      tools.sagemaker.failNext('AddTags', 5, new FakeError('ThrottlingException', 'Rate exceeded'));
      tools.struck();
    },
  },
  {
    fault: 'write-back: AccessDenied on AddTags',
    expected: 'one failure recorded, announcer told once',
    refused: true,
    install: (tools) => {
      tools.sagemaker.failNext('AddTags', 100, new FakeError('AccessDeniedException', 'not authorized to perform: sagemaker:AddTags', 400));
      tools.struck();
    },
  },
  { fault: 'write-back: two replicas at the date', expected: 'tagged, recorded once', postgresOnly: true, replicas: 2, install: (tools) => tools.struck() },
];

export async function runWriteBack(scenario: WriteBackScenario, context: ScenarioContext): Promise<Row> {
  const fake = new FakeSlack({ users: [PRIYA], channels: [{ ...CHANNEL, members: [PRIYA.id] }] });
  const server = await startSlackServer(fake);
  let onAddTags: (() => void) | undefined;
  const sagemaker = await startFakeSageMaker(demoSnapshot(), { onRequest: (operation) => (operation === 'AddTags' ? onAddTags?.() : undefined) });
  const env = {
    LINEAGE_SOURCE: 'sagemaker',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDDRILLEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'drill-secret-access-key',
    AWS_ENDPOINT_URL_SAGEMAKER: sagemaker.url,
    NOTICE_WRITE_BACK: 'true',
  };
  const options: BotOptions = { slackApiUrl: server.url, storeUrl: context.storeUrl, env };
  const base = { store: context.store, fault: scenario.fault, expected: scenario.expected };
  const bots: BotProcess[] = [];
  let struck = false;
  try {
    for (let i = 0; i < (scenario.replicas ?? 1); i++) bots.push(await context.processes.start(options));
    scenario.install({ sagemaker, onAddTags: (hook) => (onAddTags = hook), bots, kill9: (bot) => context.processes.kill9(bot), struck: () => (struck = true) });
    const started = performance.now();
    const answer = await postSigned(bots[0]!.url, submission()).catch((error: unknown) => ({ status: 0, text: String(error) }));
    const ackMs = performance.now() - started;
    const arn = demoSnapshot().FeatureGroups.find((g) => g.FeatureGroupName === GROUP)!.FeatureGroupArn;
    const tagged = () => (sagemaker.snapshot.Tags[arn] ?? []).some((t) => t.Key === DEPRECATION_TAGS.deprecated && t.Value === 'true');
    const taken = () => sagemaker.writes.filter((w) => w.operation === 'AddTags').length;
    const done = scenario.refused ? () => fake.messagesIn(`D${PRIYA.id}`).length > 0 : () => tagged() && taken() >= (scenario.writes ?? 1);
    let problem: string | undefined;
    // A killed bot is restarted on the same host, as systemd or a container runtime would: the next one ticks at start.
    const deadline = Date.now() + WRITE_TIMEOUT_MS;
    while (!done() && Date.now() < deadline) {
      if (bots.every((bot) => bot.exited())) bots.push(await context.processes.start(options));
      await sleep(100);
    }
    if (!done()) problem = scenario.refused ? 'the announcer was never told' : 'the group was never tagged';
    const doneMs = performance.now() - started;
    await sleep(SETTLE_MS);
    await context.processes.stopAll();
    const recorded = await audited(context.storeUrl);
    if (answer.status !== 200 || answer.text !== '') problem ??= `the form got ${answer.status} ${answer.text.slice(0, 80)}`;
    if (!struck) problem ??= 'the fault never struck';
    const told = fake.messagesIn(`D${PRIYA.id}`).length;
    if (scenario.refused && (told !== 1 || recorded.failed !== 1 || tagged())) problem ??= `refused: told ${told}, failures recorded ${recorded.failed}, tagged ${tagged()}`;
    if (!scenario.refused && told > 0) problem ??= 'the announcer was told the write-back failed';
    const wanted = scenario.refused ? recorded.failed : recorded.written;
    return row({
      ...base,
      sent: Math.min(wanted, 1),
      duplicates: Math.max(0, wanted - 1) + (scenario.refused ? Math.max(0, told - 1) : 0),
      lost: wanted === 0 ? 1 : 0,
      crashes: context.processes.crashes().length,
      ackMs,
      doneMs,
      ...(problem ? { problem: `${problem} (AddTags sent ${sagemaker.calls.get('AddTags') ?? 0} times)` } : {}),
    });
  } finally {
    await context.processes.stopAll();
    await sagemaker.close();
    await server.close();
  }
}

/** How often the store recorded the write-back made, and given up. */
async function audited(storeUrl: string): Promise<{ written: number; failed: number }> {
  const store = await openStore(storeUrl);
  try {
    const actions = (await store.listAudit()).map((entry) => entry.action);
    return { written: actions.filter((a) => a === 'notice.written_back').length, failed: actions.filter((a) => a === 'notice.write_back_failed').length };
  } finally {
    await store.close();
  }
}

function submission(): string {
  return viewSubmission({
    user: PRIYA.id,
    viewId: 'VDRILLWB',
    callbackId: DEPRECATE_MODAL.callbackId,
    privateMetadata: JSON.stringify({ fg: GROUP, c: CHANNEL.id }),
    values: formValues({ kind: 'deprecation', date: utcDate(Date.now()), replacement: REPLACEMENT }),
  });
}

