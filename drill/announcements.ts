// Announcement scenarios: the owner of a feature group read by OWNERS models (each owned by someone
// else: users by ID and by email, team channels) submits the deprecate form to the real bot, and
// a fault strikes somewhere between the form closing and the summary's last update. Counted from
// what the fake Slack received: every owner and the announcer's summary must get exactly one
// message carrying its delivery id.
import { DEPRECATE_MODAL } from '../blocks/notices/index.js';
import { DAY_MS } from '../src/notices/clock.js';
import { utcDate } from '../src/notices/schedule.js';
import type { BotOptions, BotProcess } from '../test/support/bot-process.js';
import type { FakeMessage, FakeReply, FakeSlack as FakeSlackType, Params } from '../test/support/slack-fake.js';
import { FakeSlack } from '../test/support/slack-fake.js';
import { ownersAccount, SHARED_GROUP, type OwnersAccount } from '../test/support/slack-owners-account.js';
import { formValues, postSigned, viewSubmission } from '../test/support/slack-requests.js';
import { startSlackServer } from '../test/support/slack-server.js';
import { eventually, row, sleep, terminateBackends, type Processes, type Row, type StoreKind } from './harness.js';

export const OWNERS = 20;
/** After the last expected message arrives, how long the drill keeps watching for a duplicate. */
export const SETTLE_MS = 2000;
/** Ample for a restart, a takeover (claims last 30 s) and every backoff the faults cause. */
export const DELIVERY_TIMEOUT_MS = 120_000;

export interface ScenarioContext {
  store: StoreKind;
  storeUrl: string;
  /** The PostgreSQL database of this scenario, for pg_terminate_backend. */
  database?: string;
  postgresUrl?: string;
  snapshotPath: string;
  processes: Processes;
}

/** What a fault sees: the fake Slack, the bots, and a way to kill one. */
export interface FaultTools {
  fake: FakeSlackType;
  bots: BotProcess[];
  kill9(bot: BotProcess): void;
  /** The fault happened (a scenario whose fault never struck is a failure, not a pass). */
  struck(): void;
}

export interface FanOutScenario {
  fault: string;
  expected: string;
  /** PostgreSQL only (several replicas need a shared server). */
  postgresOnly?: boolean;
  replicas?: number;
  /** chat.postMessage latency of the fake, so a fan-out lasts long enough to be interrupted. */
  postLatencyMs?: number;
  /** Installs the fault; `context` for scenarios that reach the database. */
  install(tools: FaultTools, context: ScenarioContext): void;
  /**
   * Retried faults must be done within this: one backoff (2 s) or Retry-After (1 s) per message.
   * Slower means the retry was never scheduled and the work waited for its claim to expire (30 s).
   */
  doneWithinMs?: number;
  /** After the form was answered: a kill that must follow the acknowledgement. */
  afterAck?(tools: FaultTools): void;
}

const EXPECT_ONCE = `${OWNERS} owners + summary, each once`;

/** Kills the bot that is sending when `when(call number)` holds on `method`, before Slack answers. */
function killOnCall(method: string, nth: number, outcome: 'hang' | 'after-post'): FanOutScenario['install'] {
  return (tools) => {
    let calls = 0;
    if (outcome === 'after-post') {
      tools.fake.afterPost = () => {
        if (++calls !== nth) return;
        killSender(tools);
        return 'drop';
      };
      return;
    }
    tools.fake.before = (called: string, params: Params) => {
      if (called !== method || isGroupOwnerLookup(called, params) || ++calls !== nth) return undefined;
      killSender(tools);
      return 'hang';
    };
  };
}

const isGroupOwnerLookup = (method: string, params: Params) => method === 'users.info' && params['user'] === 'UGROUPOWNER';

export function killSender(tools: FaultTools): void {
  const bot = tools.bots.find((b) => !b.exited());
  if (!bot) return;
  tools.kill9(bot);
  tools.struck();
}

/**
 * Answers the first post to every other channel with `reply` (of the posts `matches` picks: by
 * default all); the retry goes through.
 */
export function failFirstPostToHalf(reply: FakeReply, matches: (params: Params) => boolean = () => true): (tools: FaultTools) => void {
  return (tools) => {
    const seen = new Map<string, number>();
    tools.fake.before = (method, params) => {
      if (method !== 'chat.postMessage' || !matches(params)) return undefined;
      const channel = String(params['channel']);
      if (!seen.has(channel)) seen.set(channel, seen.size);
      const index = seen.get(channel) ?? 0;
      const first = tools.fake.callsTo('chat.postMessage').filter((p) => p['channel'] === channel && matches(p)).length === 1;
      if (index % 2 !== 0 || !first) return undefined;
      tools.struck();
      return reply;
    };
  };
}

export const FAN_OUT_SCENARIOS: FanOutScenario[] = [
  { fault: 'none (baseline)', expected: EXPECT_ONCE, install: (tools) => tools.struck() },
  {
    fault: 'kill -9 right after the form closed (impact not worked out)',
    expected: `${EXPECT_ONCE}, after restart`,
    // Slack stops answering look-ups: the bot is still working out who the notice reaches.
    install: (tools) => {
      tools.fake.before = (method, params) => (/^(users|conversations)\./.test(method) && !isGroupOwnerLookup(method, params) ? 'hang' : undefined);
    },
    afterAck: (tools) => {
      killSender(tools);
      tools.fake.before = undefined;
    },
  },
  { fault: 'kill -9 during the owner look-ups', expected: `${EXPECT_ONCE}, after restart`, install: killOnCall('users.info', 5, 'hang') },
  { fault: 'kill -9 as the first message is sent (reply lost)', expected: `${EXPECT_ONCE}, after restart`, postLatencyMs: 20, install: killOnCall('chat.postMessage', 1, 'after-post') },
  { fault: 'kill -9 mid-fan-out (reply lost)', expected: `${EXPECT_ONCE}, after restart`, postLatencyMs: 20, install: killOnCall('chat.postMessage', 10, 'after-post') },
  { fault: 'kill -9 mid-fan-out (before Slack saw the send)', expected: `${EXPECT_ONCE}, after restart`, postLatencyMs: 20, install: killOnCall('chat.postMessage', 10, 'hang') },
  { fault: 'kill -9 as the last message is sent (reply lost)', expected: `${EXPECT_ONCE}, after restart`, postLatencyMs: 20, install: killOnCall('chat.postMessage', OWNERS + 1, 'after-post') },
  {
    // Whichever comes first: the order of the summary among the sends differs between stores.
    fault: 'kill -9 as the summary is posted or updated',
    expected: `${EXPECT_ONCE}, after restart`,
    postLatencyMs: 20,
    install: (tools, context) => {
      killOnCall('chat.update', 1, 'hang')(tools, context);
      tools.fake.afterPost = (message) => {
        if (message.channel !== 'CANNOUNCE' || !tools.bots.some((bot) => !bot.exited())) return;
        killSender(tools);
        return 'drop';
      };
    },
  },
  {
    fault: 'pg_terminate_backend 3 times mid-fan-out',
    expected: `${EXPECT_ONCE}, no restart`,
    postgresOnly: true,
    postLatencyMs: 30,
    install: (tools, context) => {
      let posts = 0;
      tools.fake.afterPost = () => {
        if (![4, 9, 14].includes(++posts) || !context.postgresUrl || !context.database) return;
        // A termination that fails (its own connection ended by someone else) leaves the fault unstruck, which the row shows.
        void terminateBackends(context.postgresUrl, context.database).then(
          (ended) => ended > 0 && tools.struck(),
          () => {},
        );
      };
    },
  },
  { fault: 'Slack 503 on the first send to half the owners', expected: `${EXPECT_ONCE}, retried < 20 s`, doneWithinMs: 20_000, install: failFirstPostToHalf({ status: 503, body: 'Service Unavailable' }) },
  {
    fault: 'Slack 429 (Retry-After: 1) on the first send to half the owners',
    expected: `${EXPECT_ONCE}, retried < 20 s`,
    doneWithinMs: 20_000,
    install: failFirstPostToHalf({ status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }),
  },
  { fault: 'two replicas share the fan-out', expected: EXPECT_ONCE, postgresOnly: true, replicas: 2, postLatencyMs: 20, install: (tools) => tools.struck() },
  {
    fault: 'two replicas, the announcing one kill -9 mid-fan-out',
    expected: `${EXPECT_ONCE}, by the other replica`,
    postgresOnly: true,
    replicas: 2,
    postLatencyMs: 50,
    install: (tools) => {
      let posts = 0;
      tools.fake.afterPost = () => {
        if (++posts !== 8) return;
        const announcer = tools.bots[0];
        if (announcer && !announcer.exited()) {
          tools.kill9(announcer);
          tools.struck();
        }
        return 'drop';
      };
    },
  },
];

/** The channels that must each get exactly one notice message: every owner's DM, every team channel, the summary's. */
export function expectedChannels(account: OwnersAccount): string[] {
  return [...account.users.filter((u) => u.id !== account.groupOwner).map((u) => `D${u.id}`), ...account.channels.map((c) => c.id)];
}

export const isNotice = (message: FakeMessage) => typeof message.metadata?.event_payload['delivery_id'] === 'string';

export async function runFanOut(scenario: FanOutScenario, context: ScenarioContext): Promise<Row> {
  const account = ownersAccount(OWNERS);
  const fake = new FakeSlack({ users: account.users, channels: account.channels });
  const server = await startSlackServer(fake, scenario.postLatencyMs ? { postLatencyMs: scenario.postLatencyMs } : {});
  const options: BotOptions = { slackApiUrl: server.url, storeUrl: context.storeUrl, snapshotPath: context.snapshotPath };
  const base = { store: context.store, fault: scenario.fault, expected: scenario.expected };
  const bots: BotProcess[] = [];
  let struck = false;
  const scenarioOver = new AbortController();
  try {
    for (let i = 0; i < (scenario.replicas ?? 1); i++) bots.push(await context.processes.start(options));
    const tools: FaultTools = { fake, bots, kill9: (bot) => context.processes.kill9(bot), struck: () => (struck = true) };
    scenario.install(tools, context);
    const started = performance.now();
    const answer = await postSigned(bots[0]!.url, submission(account)).catch((error: unknown) => ({ status: 0, text: String(error) }));
    const ackMs = performance.now() - started;
    scenario.afterAck?.(tools);
    // A killed single instance is restarted on the same host, as systemd or a container runtime would.
    const killed = bots.filter((bot) => bot.exited());
    if (killed.length > 0 || scenario.afterAck) {
      await eventually(() => bots.some((bot) => bot.exited()), 'the kill', 30_000);
      fake.before = undefined;
      fake.afterPost = undefined;
      if (bots.every((bot) => bot.exited())) bots.push(await context.processes.start(options));
    } else {
      // A kill scheduled for later in the fan-out restarts the bot when it happens.
      void restartWhenKilled(bots, options, context, fake, scenarioOver.signal);
    }
    const channels = expectedChannels(account);
    const delivered = () => channels.filter((channel) => fake.messagesIn(channel).some(isNotice)).length;
    let problem: string | undefined;
    try {
      await eventually(() => delivered() === channels.length, `${channels.length} notices`, DELIVERY_TIMEOUT_MS);
    } catch (error) {
      problem = (error as Error).message;
    }
    const doneMs = performance.now() - started;
    await sleep(SETTLE_MS);
    const perChannel = channels.map((channel) => fake.messagesIn(channel).filter(isNotice).length);
    const stray = fake.messages.filter((m) => isNotice(m) && !channels.includes(m.channel)).length;
    if (answer.status !== 200 || answer.text !== '') problem ??= `the form got ${answer.status} ${answer.text.slice(0, 80)}`;
    if (!struck) problem ??= 'the fault never struck';
    if (scenario.doneWithinMs && doneMs > scenario.doneWithinMs) problem ??= `delivered only after ${Math.round(doneMs / 1000)} s: a retry was not scheduled, the claim had to expire`;
    if (stray > 0) problem ??= `${stray} notices reached channels of nobody affected`;
    const told = fake.messagesIn(`D${account.groupOwner}`).length;
    if (told > 0) problem ??= `the announcer was told by DM that something failed`;
    return row({
      ...base,
      sent: perChannel.filter((n) => n > 0).length,
      duplicates: perChannel.reduce((sum, n) => sum + Math.max(0, n - 1), 0) + stray,
      lost: perChannel.filter((n) => n === 0).length,
      crashes: context.processes.crashes().length,
      ackMs,
      doneMs,
      ...(problem ? { problem } : {}),
    });
  } finally {
    scenarioOver.abort();
    await context.processes.stopAll();
    await server.close();
  }
}

/** For kills that strike mid-fan-out: once every bot is dead, one is started again. */
export async function restartWhenKilled(bots: BotProcess[], options: BotOptions, context: ScenarioContext, fake: FakeSlackType, over: AbortSignal): Promise<void> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while (Date.now() < deadline && !over.aborted) {
    if (bots.length > 0 && bots.every((bot) => bot.exited())) {
      fake.before = undefined;
      fake.afterPost = undefined;
      // A start that fails shows as notices lost; the scenario's own wait is the bound.
      await context.processes.start(options).then((bot) => bots.push(bot), () => {});
      return;
    }
    await sleep(50);
  }
}

/** The deprecate form of the group's owner, effective in `days` (30: far enough for both reminders; 1: the last one is due at once). */
export function submission(account: OwnersAccount, days = 30): string {
  return viewSubmission({
    user: account.groupOwner,
    viewId: 'VDRILL',
    callbackId: DEPRECATE_MODAL.callbackId,
    privateMetadata: JSON.stringify({ fg: SHARED_GROUP, c: 'CANNOUNCE' }),
    values: formValues({ kind: 'deprecation', date: utcDate(Date.now() + days * DAY_MS) }),
  });
}
