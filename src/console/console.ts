// Console mode: read commands from a stream, hand them to Bolt as Slack payloads, print answers.
// Interactive on a terminal (prompt, keeps going); scripted otherwise (answers each line, ends at EOF).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { escape } from '../../blocks/text.js';
import { COMMAND } from '../../commands/index.js';
import type { ConsoleReceiver } from './console-receiver.js';
import { CONSOLE_RESPONSE_URL, type PostedMessage } from './console-slack.js';
import { renderMessage, type RenderedButton } from './render.js';

export const CONSOLE_IDS = { team: 'TCONSOLE', channel: 'CCONSOLE', user: 'UCONSOLE', app: 'ACONSOLE' } as const;

export interface ConsoleIo {
  input: Readable;
  output: Writable;
  interactive: boolean;
}

/** Prints posted messages and remembers their buttons, numbered across the whole session. */
export class ConsolePrinter {
  private readonly buttons = new Map<number, RenderedButton>();
  private nextNumber = 1;

  constructor(private readonly output: Writable) {}

  print(message: PostedMessage): void {
    const rendered = renderMessage(message, this.nextNumber);
    for (const button of rendered.buttons) this.buttons.set(button.number, button);
    this.nextNumber += rendered.buttons.length;
    const prefix = message.ephemeral ? '(only you can see this)\n' : '';
    this.output.write(`${prefix}${rendered.text}\n\n`);
  }

  line(text: string): void {
    this.output.write(`${text}\n`);
  }

  button(number: number): RenderedButton | undefined {
    return this.buttons.get(number);
  }
}

export function consoleBanner(sourceDescription: string): string {
  return [
    `lineage-bot console — no Slack credentials are set, so answers print here. Lineage source: ${sourceDescription}.`,
    `Ask as in Slack, e.g. "${COMMAND} model fraud-detector" (or just "model fraud-detector"); "help" lists every question.`,
    'Type a button\'s number to press it; "exit" leaves.',
    'To connect Slack: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode); see the README.',
    '',
  ].join('\n');
}

export async function runConsole(receiver: ConsoleReceiver, printer: ConsolePrinter, io: ConsoleIo): Promise<void> {
  let sequence = 0;
  const common = () => {
    sequence += 1;
    return { token: 'console', api_app_id: CONSOLE_IDS.app, response_url: `${CONSOLE_RESPONSE_URL}${sequence}`, trigger_id: `console.${sequence}` };
  };
  const send = async (body: Record<string, unknown>) => {
    try {
      await receiver.dispatch(body, (ack) => printer.line(typeof ack === 'string' ? ack : JSON.stringify(ack)));
    } catch (error) {
      printer.line(`The bot failed to answer: ${(error as Error).message}`);
    }
  };

  const lines = createInterface({ input: io.input, terminal: false });
  const prompt = () => {
    if (io.interactive) io.output.write('lineage> ');
  };
  prompt();
  for await (const raw of lines) {
    const line = raw.trim();
    if (/^(exit|quit)$/i.test(line)) break;
    if (/^\d+$/.test(line)) {
      const button = printer.button(Number(line));
      if (!button) printer.line(`There is no button ${line}.`);
      else {
        await send({
          ...common(),
          type: 'block_actions',
          team: { id: CONSOLE_IDS.team, domain: 'console' },
          user: { id: CONSOLE_IDS.user, name: 'you' },
          channel: { id: CONSOLE_IDS.channel, name: 'console' },
          container: { type: 'message', channel_id: CONSOLE_IDS.channel, message_ts: '0', is_ephemeral: false },
          actions: [
            {
              type: 'button',
              action_id: button.actionId,
              block_id: button.blockId ?? '',
              ...(button.value !== undefined ? { value: button.value } : {}),
              text: { type: 'plain_text', text: button.label },
              action_ts: String(Date.now() / 1000),
            },
          ],
        });
      }
    } else if (line.startsWith('/') && line.split(/\s/)[0] !== COMMAND) {
      printer.line(`This bot answers ${COMMAND} only; try "${COMMAND} help".`);
    } else if (line !== '') {
      const text = line === 'help' ? 'help' : line.startsWith(COMMAND) ? line.slice(COMMAND.length).trim() : line;
      await send({
        ...common(),
        command: COMMAND,
        // As Slack sends it: `&`, `<` and `>` as entities.
        text: escape(text),
        team_id: CONSOLE_IDS.team,
        team_domain: 'console',
        channel_id: CONSOLE_IDS.channel,
        channel_name: 'console',
        user_id: CONSOLE_IDS.user,
        user_name: 'you',
      });
    }
    prompt();
  }
}
