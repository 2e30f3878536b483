// End-to-end harness for notices: a real Bolt app on 127.0.0.1 with the notice listeners, a
// /lineage command routing `impact` and `deprecate` to them as the lead's command does, the
// demo world behind it, and helpers to act as Slack (commands, clicks, modal submissions).
import type { App } from '@slack/bolt';
import { DEPRECATE_MODAL, NOTICE_ACTION } from '../../blocks/notices/index.js';
import { HandledActions } from '../../commands/handled-actions.js';
import type { NoticeListenerDeps } from '../../commands/deps.js';
import { deprecateSubcommand } from '../../commands/notices/deprecate-subcommand.js';
import { impactSubcommand } from '../../commands/notices/impact-subcommand.js';
import { register } from '../../commands/notices/index.js';
import { startTestApp, type TestApp } from './slack-app.js';
import type { FakeMessage } from './slack-fake.js';
import { interceptSlack } from './slack-nock.js';
import { buttonClick, postSigned, slashCommand, viewSubmission } from './slack-requests.js';
import { createWorld, type World, type WorldOptions } from './slack-world.js';

export interface Harness extends World {
  app: TestApp;
  deps: NoticeListenerDeps;
  /** Runs `/lineage <text>` and returns what was posted to its response_url. */
  command(text: string, user: string, channel?: string): Promise<{ responses: Record<string, unknown>[]; triggerId: string }>;
  /** Submits the deprecate modal last opened (or `viewId`); returns Bolt's HTTP answer (errors, or empty). */
  submit(form: ModalForm, user: string, options?: { viewId?: string; privateMetadata?: string }): Promise<{ status: number; body: string }>;
  /** Clicks a notice button on a posted message; returns what was posted to its response_url. */
  click(message: FakeMessage, action: keyof typeof NOTICE_ACTION, user: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export interface ModalForm {
  kind?: string;
  date?: string;
  replacement?: string;
  note?: string;
}

export function formValues(form: ModalForm): Record<string, Record<string, unknown>> {
  return {
    [DEPRECATE_MODAL.kindBlock]: { [DEPRECATE_MODAL.kindAction]: { type: 'radio_buttons', selected_option: form.kind ? { value: form.kind } : null } },
    [DEPRECATE_MODAL.dateBlock]: { [DEPRECATE_MODAL.dateAction]: { type: 'datepicker', selected_date: form.date ?? null } },
    [DEPRECATE_MODAL.replacementBlock]: { [DEPRECATE_MODAL.replacementAction]: { type: 'plain_text_input', value: form.replacement ?? null } },
    [DEPRECATE_MODAL.noteBlock]: { [DEPRECATE_MODAL.noteAction]: { type: 'plain_text_input', value: form.note ?? null } },
  };
}

/** The lead's /lineage command, reduced to the two notice subcommands. */
function lineageCommand(deps: NoticeListenerDeps) {
  return (app: App) =>
    app.command('/lineage', async (args) => {
      await args.ack();
      const [subcommand = '', ...rest] = args.command.text.trim().split(/\s+/);
      const input = rest.join(' ');
      if (subcommand === 'impact') await impactSubcommand({ ...args, deps, input });
      else if (subcommand === 'deprecate') await deprecateSubcommand({ ...args, deps, input });
    });
}

export async function startHarness(options: WorldOptions & Pick<NoticeListenerDeps, 'checkBudgetMs'> = {}): Promise<Harness> {
  const world = await createWorld(options);
  const slack = interceptSlack(world.fake, { responseUrls: true });
  const deps: NoticeListenerDeps = {
    notices: world.system.service,
    service: world.service,
    logger: world.logger,
    clock: world.clock,
    ...(options.checkBudgetMs ? { checkBudgetMs: options.checkBudgetMs } : {}),
  };
  const route = world.awsEventsRoute;
  const app = await startTestApp({
    logger: world.logger,
    register: (bolt) => {
      register(bolt, deps, new HandledActions());
      lineageCommand(deps)(bolt);
    },
    ...(route ? { customRoutes: [route] } : {}),
  });
  const responsesTo = (url: string) => world.fake.responses.filter((r) => r.url === url).map((r) => r.body);
  let stopped = false;
  return {
    ...world,
    app,
    deps,
    async command(text, user, channel = 'CANNOUNCE') {
      const request = slashCommand({ text, user, channel });
      const answer = await postSigned(app.url, request.body);
      if (answer.status !== 200) throw new Error(`slash command answered ${answer.status}`);
      return { responses: responsesTo(request.responseUrl), triggerId: request.triggerId };
    },
    async submit(form, user, submitOptions = {}) {
      const view = world.fake.views.at(-1);
      const viewId = submitOptions.viewId ?? view?.id ?? 'VNONE';
      const privateMetadata = submitOptions.privateMetadata ?? String(view?.view['private_metadata'] ?? '');
      const answer = await postSigned(app.url, viewSubmission({ user, viewId, callbackId: DEPRECATE_MODAL.callbackId, privateMetadata, values: formValues(form) }));
      return { status: answer.status, body: answer.text };
    },
    async click(message, action, user) {
      const actionId = NOTICE_ACTION[action];
      const button = message.blocks
        .filter((b) => b['type'] === 'actions')
        .flatMap((b) => b['elements'] as { action_id: string; value: string }[])
        .find((e) => e.action_id === actionId);
      if (!button) throw new Error(`no ${actionId} button on the message`);
      const request = buttonClick({ actionId, value: button.value, user, channel: message.channel, messageTs: message.ts });
      const answer = await postSigned(app.url, request.body);
      if (answer.status !== 200) throw new Error(`button click answered ${answer.status}`);
      return responsesTo(request.responseUrl);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      await world.close();
      slack.release();
    },
  };
}

/** The text of a block by block_id (a section's or a context's first element). */
export function blockText(blocks: readonly Record<string, unknown>[], blockId: string): string | undefined {
  const block = blocks.find((b) => b['block_id'] === blockId);
  if (!block) return undefined;
  const text = block['text'] as { text?: string } | undefined;
  if (text?.text !== undefined) return text.text;
  const elements = block['elements'] as { text?: string }[] | undefined;
  return elements?.[0]?.text;
}
