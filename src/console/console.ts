// Console mode: read commands from a stream, hand them to Bolt as Slack payloads, print answers.
// Interactive on a terminal (prompt, line editing and history, keeps going); scripted otherwise
// (answers each line, ends at EOF). Every surface can be tried: the slash command, buttons by
// number, "@Lineage …" mentions, and replies in the thread of an answer ("thread N …").
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { escape } from '../../blocks/text.js';
import { COMMAND } from '../../commands/index.js';
import type { ConsoleReceiver } from './console-receiver.js';
import { CONSOLE_RESPONSE_URL, type PostedMessage } from './console-slack.js';
import { renderMessage, type RenderedButton } from './render.js';

export const CONSOLE_IDS = { team: 'TCONSOLE', channel: 'CCONSOLE', user: 'UCONSOLE', app: 'ACONSOLE', bot: 'UCONSOLEBOT' } as const;

export const PROMPT = 'lineage> ';

/** What `help` adds in the console: the ways to try Slack's other surfaces here. */
export const CONSOLE_HELP = [
  'In this console:',
  '  <number>              press the button with that number',
  '  @Lineage <text>       mention the bot in a channel, e.g. "@Lineage what uses customers?"',
  '  thread N <text>       reply in the thread of answer N, as "@Lineage <text>" there, e.g. "thread 1 endpoints?"',
  '  exit                  leave (or Ctrl-D on an empty line)',
].join('\n');

export interface ConsoleIo {
  input: Readable;
  output: Writable;
  interactive: boolean;
}

/** Prints posted messages and remembers their buttons, numbered across the whole session. */
export class ConsolePrinter {
  private readonly buttons = new Map<number, RenderedButton>();
  private nextNumber = 1;
  /** Answers (messages the bot posted in the channel) by number, and the thread each is in. */
  private readonly answers = new Map<string, number>();
  private readonly threads = new Map<number, string>();

  constructor(private readonly output: Writable) {}

  print(message: PostedMessage): void {
    const rendered = renderMessage(message, this.nextNumber);
    for (const button of rendered.buttons) this.buttons.set(button.number, button);
    this.nextNumber += rendered.buttons.length;
    const prefix = message.ephemeral ? '(only you can see this)\n' : this.answerLabel(message);
    this.output.write(`${prefix}${rendered.text}\n\n`);
  }

  /** "[answer 2]" (or "[answer 3, in the thread of answer 2]"): what `thread N` refers to. */
  private answerLabel(message: PostedMessage): string {
    if (!message.ts) return '';
    let number = this.answers.get(message.ts);
    if (number === undefined) {
      number = this.answers.size + 1;
      this.answers.set(message.ts, number);
      this.threads.set(number, message.threadTs ?? message.ts);
    }
    if (!message.threadTs || message.threadTs === message.ts) return `[answer ${number}]\n`;
    const root = this.answers.get(message.threadTs);
    return `[answer ${number}, in the thread of ${root !== undefined ? `answer ${root}` : 'your mention'}]\n`;
  }

  /** The ts of the thread answer N is in (its own, when it started one). */
  threadOf(number: number): string | undefined {
    return this.threads.get(number);
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
    'Type a button\'s number to press it, "@Lineage …" to mention the bot, "thread N …" to reply in the thread of answer N; "exit" leaves.',
    'To connect Slack: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode); see the README.',
    '',
  ].join('\n');
}

/**
 * Control characters typed or pasted are shown, never passed on raw (an answer that quotes the
 * input would otherwise send them to the terminal): ESC as ^[, DEL as ^?, C1 codes as \x9b.
 */
export function visibleControls(text: string): string {
  let result = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code === 0x09) result += char;
    else if (code < 0x20) result += `^${String.fromCharCode(code + 0x40)}`;
    else if (code === 0x7f) result += '^?';
    else if (code >= 0x80 && code <= 0x9f) result += `\\x${code.toString(16)}`;
    else result += char;
  }
  return result;
}

/** A line as typed: `terminated` is false for a last line ended by Ctrl-D (end of input) rather than Enter. */
interface TypedLine {
  text: string;
  terminated: boolean;
}

interface LineReader extends AsyncIterable<TypedLine> {
  prompt(): void;
  close(): void;
}

/** A terminal: readline with line editing and history; Ctrl-D ends a typed line, or leaves on an empty one. */
function terminalLines(io: ConsoleIo): LineReader {
  const rl: Interface = createInterface({ input: io.input, output: io.output, terminal: true, historySize: 500, prompt: PROMPT });
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => io.output.write('\n'));
  // readline ignores Ctrl-D at the end of a line that is not empty: here it sends the line, as Enter would.
  io.input.on('keypress', (_: unknown, key: { ctrl?: boolean; name?: string } | undefined) => {
    if (key?.ctrl && key.name === 'd' && rl.line.length > 0 && rl.cursor === rl.line.length) rl.write('\n');
  });
  return {
    prompt: () => rl.prompt(),
    close: () => rl.close(),
    async *[Symbol.asyncIterator]() {
      for await (const text of rl) yield { text, terminated: true };
    },
  };
}

/** A pipe or a file: lines split here, so that a last line without a newline is known as one. */
function streamLines(io: ConsoleIo): LineReader {
  return {
    prompt: () => {
      if (io.interactive) io.output.write(PROMPT);
    },
    close: () => {},
    async *[Symbol.asyncIterator]() {
      const decoder = new StringDecoder('utf8');
      let buffer = '';
      for await (const chunk of io.input) {
        buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          yield { text: buffer.slice(0, end).replace(/\r$/, ''), terminated: true };
          buffer = buffer.slice(end + 1);
        }
      }
      buffer += decoder.end();
      if (buffer !== '') yield { text: buffer, terminated: false };
    },
  };
}

const isTerminal = (input: Readable): boolean => Boolean((input as Readable & { isTTY?: boolean }).isTTY);

/** "@Lineage …", as typed (any case, with or without a colon). */
const MENTION = /^@lineage\b[:,]?\s*(.*)$/i;
const THREAD = /^thread\s+(\d+)\b\s*(.*)$/i;

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

  let eventSequence = 0;
  /** An app_mention event, as Slack sends one: in the channel, or in a thread. */
  const mention = async (text: string, threadTs?: string) => {
    eventSequence += 1;
    const seconds = Math.floor(Date.now() / 1000);
    // Not the form of the console fetch's message ts (seconds.000001…), so the two never collide.
    const ts = `${seconds}.9${String(eventSequence).padStart(5, '0')}`;
    await send({
      token: 'console',
      team_id: CONSOLE_IDS.team,
      api_app_id: CONSOLE_IDS.app,
      type: 'event_callback',
      event_id: `EvCONSOLE${eventSequence}`,
      event_time: seconds,
      authorizations: [{ team_id: CONSOLE_IDS.team, user_id: CONSOLE_IDS.bot, is_bot: true }],
      event: {
        type: 'app_mention',
        user: CONSOLE_IDS.user,
        // As Slack sends it: the mention as <@U…>, `&`, `<` and `>` as entities.
        text: `<@${CONSOLE_IDS.bot}> ${escape(text)}`,
        ts,
        event_ts: ts,
        channel: CONSOLE_IDS.channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    });
  };

  const lines = isTerminal(io.input) ? terminalLines(io) : streamLines(io);
  lines.prompt();
  for await (const typed of lines) {
    // A line ended by Ctrl-D was not followed by a newline: the answer starts on a line of its own.
    if (!typed.terminated && io.interactive) io.output.write('\n');
    const line = visibleControls(typed.text).trim();
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
    } else if (THREAD.test(line)) {
      const [, number = '', text = ''] = THREAD.exec(line) ?? [];
      const threadTs = printer.threadOf(Number(number));
      if (!threadTs) printer.line(`There is no answer ${number}.`);
      else if (text === '') printer.line(`Say what to ask in the thread, e.g. "thread ${number} endpoints?"`);
      else await mention(MENTION.exec(text)?.[1] ?? text, threadTs);
    } else if (MENTION.test(line)) {
      await mention(MENTION.exec(line)?.[1] ?? '');
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
      if (text === 'help') printer.line(CONSOLE_HELP);
    }
    lines.prompt();
  }
  lines.close();
}
