// A notice's life after it is sent (issue 15), under faults: the announcer cancels it or moves its
// date from the summary, or the last reminder escalates every owner who has not acknowledged. The
// notice is first announced and delivered to OWNERS owners without a fault; then the change is
// made through the real bot while Slack fails or the bot is killed. Counted from what the fake
// Slack received: every owner (or, for escalations, the escalation channel once per owner) must get
// exactly one message of the change, each carrying its delivery id.
import { ManageButton, MOVE_MODAL, NOTICE_ACTION } from '../blocks/notices/index.js';
import { DAY_MS } from '../src/notices/clock.js';
import { utcDate } from '../src/notices/schedule.js';
import type { BotOptions, BotProcess } from '../test/support/bot-process.js';
import type { FakeMessage, FakeReply } from '../test/support/slack-fake.js';
import { FakeSlack } from '../test/support/slack-fake.js';
import { ownersAccount } from '../test/support/slack-owners-account.js';
import { buttonClick, postSigned, viewSubmission } from '../test/support/slack-requests.js';
import { startSlackServer, type FakeSlackServer } from '../test/support/slack-server.js';
import {
  DELIVERY_TIMEOUT_MS,
  expectedChannels,
  failFirstPostToHalf,
  isNotice,
  killSender,
  OWNERS,
  restartWhenKilled,
  SETTLE_MS,
  submission,
  type FaultTools,
  type ScenarioContext,
} from './announcements.js';
import { eventually, row, sleep, updateStore, type Row } from './harness.js';

type Change = 'cancelled' | 'moved' | 'escalation';

export interface LifecycleScenario {
  fault: string;
  expected: string;
  change: Change;
  /** Installed once the notice was delivered, just before the change is made. */
  install(tools: FaultTools): void;
  /** As for announcements: a retried fault must be over within this. */
  doneWithinMs?: number;
}

/** Where escalations go (NOTICE_ESCALATION_CHANNEL): the drill's owners have no other team channel to escalate to. */
const ESCALATION_CHANNEL = { id: 'CESCALATE', name: 'ml-escalations' };

/** How each change's messages begin (blocks/notices/notice-message.ts): what the drill counts. */
const OPENING: Record<Change, string> = { cancelled: 'Cancelled:', moved: 'Date moved:', escalation: 'Not acknowledged:' };

const isChange = (change: Change) => (message: { text?: unknown }) => String(message.text ?? '').startsWith(OPENING[change]);

/** Kills the sending bot at the `nth` post of the change: before Slack sees it (`hang`) or after, the reply lost. */
function killAtPost(change: Change, nth: number, outcome: 'hang' | 'after-post'): LifecycleScenario['install'] {
  return (tools) => {
    let posts = 0;
    if (outcome === 'after-post') {
      tools.fake.afterPost = (message) => {
        if (!isChange(change)(message) || ++posts !== nth) return;
        killSender(tools);
        return 'drop';
      };
      return;
    }
    tools.fake.before = (method, params) => {
      if (method !== 'chat.postMessage' || !isChange(change)(params) || ++posts !== nth) return undefined;
      killSender(tools);
      return 'hang';
    };
  };
}

const RATE_LIMITED: FakeReply = { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
const UNAVAILABLE: FakeReply = { status: 503, body: 'Service Unavailable' };

export const LIFECYCLE_SCENARIOS: LifecycleScenario[] = [
  {
    fault: 'move date: Slack 429 (Retry-After: 1) on the first date-moved message to half the owners',
    expected: `${OWNERS} owners told of the move, each once, retried < 20 s`,
    change: 'moved',
    doneWithinMs: 20_000,
    install: failFirstPostToHalf(RATE_LIMITED, isChange('moved')),
  },
  {
    fault: 'move date: Slack 503 on the first date-moved message to half the owners',
    expected: `${OWNERS} owners told of the move, each once, retried < 20 s`,
    change: 'moved',
    doneWithinMs: 20_000,
    install: failFirstPostToHalf(UNAVAILABLE, isChange('moved')),
  },
  {
    fault: 'cancel: kill -9 between the cancel and the owners’ messages',
    expected: `${OWNERS} owners told it was cancelled, each once, after restart`,
    change: 'cancelled',
    install: killAtPost('cancelled', 1, 'hang'),
  },
  {
    fault: 'cancel: kill -9 mid-way through the owners’ messages (reply lost)',
    expected: `${OWNERS} owners told it was cancelled, each once, after restart`,
    change: 'cancelled',
    install: killAtPost('cancelled', 8, 'after-post'),
  },
  {
    fault: 'escalation: kill -9 mid-way through the escalations (reply lost), then restarted again',
    expected: `${OWNERS} owners escalated, each once, across 2 restarts`,
    change: 'escalation',
    install: killAtPost('escalation', 8, 'after-post'),
  },
];

/** The notice's id, from the summary's Cancel notice button (what the announcer's click would carry). */
function noticeIdFrom(summary: FakeMessage | undefined): string | undefined {
  const manage = summary?.blocks.find((block) => block['block_id'] === 'notice_manage') as { elements?: { action_id?: string; value?: string }[] } | undefined;
  const value = manage?.elements?.find((element) => element.action_id === NOTICE_ACTION.cancel)?.value;
  return value === undefined ? undefined : ManageButton.decode(value)?.n;
}

/** The change, as the announcer makes it: the summary's Cancel notice button, or the move-date form submitted. */
function changeRequest(change: 'cancelled' | 'moved', noticeId: string, summary: FakeMessage, announcer: string, server: FakeSlackServer): string {
  const value = ManageButton.encode({ n: noticeId });
  if (change === 'cancelled') {
    return buttonClick({ actionId: NOTICE_ACTION.cancel, value, user: announcer, channel: summary.channel, messageTs: summary.ts, responseUrlBase: server.responseUrlBase }).body;
  }
  return viewSubmission({
    user: announcer,
    viewId: 'VDRILLMOVE',
    callbackId: MOVE_MODAL.callbackId,
    privateMetadata: value,
    values: { [MOVE_MODAL.dateBlock]: { [MOVE_MODAL.dateAction]: { type: 'datepicker', selected_date: utcDate(Date.now() + 45 * DAY_MS) } } },
  });
}

export async function runLifecycle(scenario: LifecycleScenario, context: ScenarioContext): Promise<Row> {
  const account = ownersAccount(OWNERS);
  const fake = new FakeSlack({ users: account.users, channels: [...account.channels, ESCALATION_CHANNEL] });
  const server = await startSlackServer(fake);
  const options: BotOptions = { slackApiUrl: server.url, storeUrl: context.storeUrl, snapshotPath: context.snapshotPath, env: { NOTICE_ESCALATION_CHANNEL: ESCALATION_CHANNEL.id } };
  const base = { store: context.store, fault: scenario.fault, expected: scenario.expected };
  const bots: BotProcess[] = [];
  let struck = false;
  // Restarts a killed bot; stopped before the drill's own last restart, so that only one starts.
  const watching = new AbortController();
  try {
    bots.push(await context.processes.start(options));
    // The notice, announced and delivered without a fault; effective tomorrow for an escalation.
    const announced = await postSigned(bots[0]!.url, submission(account, scenario.change === 'escalation' ? 1 : 30));
    if (announced.status !== 200) throw new Error(`the form got ${announced.status} ${announced.text.slice(0, 80)}`);
    const channels = expectedChannels(account);
    await eventually(() => channels.every((channel) => fake.messagesIn(channel).some(isNotice)), `${channels.length} notices before the change`, DELIVERY_TIMEOUT_MS);
    const summary = fake.messagesIn('CANNOUNCE').find(isNotice);
    const noticeId = noticeIdFrom(summary);
    if (!summary || !noticeId) throw new Error('the summary carries no Cancel notice button');

    const tools: FaultTools = { fake, bots, kill9: (bot) => context.processes.kill9(bot), struck: () => (struck = true) };
    scenario.install(tools);
    const started = performance.now();
    let ackMs: number | undefined;
    let answer: { status: number; text: string } = { status: 200, text: '' };
    if (scenario.change === 'escalation') {
      // The last reminder (1 day before) of a notice announced 2 days ago is due now; one announced
      // today would skip it (owners were just told). The reminder loop ticks as a process starts
      // (then once a minute): the restart is the last reminder's tick.
      await context.processes.stop(bots[0]!);
      const backdated = await updateStore(context.storeUrl, 'UPDATE notices SET created_at = created_at - $1 WHERE id = $2', [2 * DAY_MS, noticeId]);
      if (backdated !== 1) throw new Error(`backdating the notice changed ${backdated} rows`);
      bots.push(await context.processes.start(options));
    } else {
      answer = await postSigned(bots[0]!.url, changeRequest(scenario.change, noticeId, summary, account.groupOwner, server)).catch((error: unknown) => ({ status: 0, text: String(error) }));
      ackMs = performance.now() - started;
    }
    void restartWhenKilled(bots, options, context, fake, watching.signal);

    const recipients = channels.filter((channel) => channel !== 'CANNOUNCE');
    const counted = isChange(scenario.change);
    // Per owner: their messages of the change, in their own channel, or for escalations those naming their delivery in the escalation channel.
    const perOwner = (): number[] => {
      if (scenario.change !== 'escalation') return recipients.map((channel) => fake.messagesIn(channel).filter((m) => isNotice(m) && counted(m)).length);
      const byDelivery = new Map<string, number>();
      for (const message of fake.messagesIn(ESCALATION_CHANNEL.id).filter((m) => isNotice(m) && counted(m))) {
        const id = String(message.metadata?.event_payload['delivery_id']);
        byDelivery.set(id, (byDelivery.get(id) ?? 0) + 1);
      }
      return [...byDelivery.values(), ...Array<number>(Math.max(0, recipients.length - byDelivery.size)).fill(0)];
    };
    let problem: string | undefined;
    try {
      await eventually(() => perOwner().every((n) => n > 0), `${recipients.length} owners told`, DELIVERY_TIMEOUT_MS);
    } catch (error) {
      problem = (error as Error).message;
    }
    const doneMs = performance.now() - started;
    if (scenario.change === 'escalation' && problem === undefined) {
      // Once per notice: a process started after it all went out escalates nobody again.
      watching.abort();
      for (const bot of bots.filter((b) => !b.exited())) await context.processes.stop(bot);
      bots.push(await context.processes.start(options));
    }
    await sleep(SETTLE_MS);
    const counts = perOwner();
    const elsewhere = fake.messages.filter((m) => isNotice(m) && counted(m) && !(scenario.change === 'escalation' ? [ESCALATION_CHANNEL.id] : recipients).includes(m.channel)).length;
    if (answer.status !== 200 || answer.text !== '') problem ??= `the change got ${answer.status} ${answer.text.slice(0, 80)}`;
    if (!struck) problem ??= 'the fault never struck';
    if (scenario.doneWithinMs && doneMs > scenario.doneWithinMs) problem ??= `told only after ${Math.round(doneMs / 1000)} s: a retry was not scheduled, the claim had to expire`;
    if (elsewhere > 0) problem ??= `${elsewhere} messages of the change went elsewhere`;
    if (scenario.change === 'cancelled') {
      const reminders = fake.messages.filter((m) => String(m.text).startsWith('Reminder:')).length;
      if (reminders > 0) problem ??= `${reminders} reminders went out for a cancelled notice`;
    }
    return row({
      ...base,
      sent: counts.filter((n) => n > 0).length,
      duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0) + elsewhere,
      lost: counts.filter((n) => n === 0).length,
      crashes: context.processes.crashes().length,
      ...(ackMs !== undefined ? { ackMs } : {}),
      doneMs,
      ...(problem ? { problem } : {}),
    });
  } finally {
    watching.abort();
    await context.processes.stopAll();
    await server.close();
  }
}
