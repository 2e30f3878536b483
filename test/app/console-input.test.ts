// Console input as a person types it: line editing and history on a terminal, control
// characters shown rather than sent raw, a line ended by Ctrl-D, "@Lineage …" mentions and
// "thread N …" replies. Scripted stdin, and a fake TTY for what only a terminal does.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { CONSOLE_HELP, ConsolePrinter, PROMPT, runConsole, visibleControls } from '../../src/console/console.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/index.js';

/** A stream that says it is a terminal, as process.stdin does on one (readline turns raw mode on). */
function fakeTty(): PassThrough {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
}

async function session(feed: (input: PassThrough, printed: () => string) => unknown, options: { tty?: boolean; interactive?: boolean } = {}) {
  const logs: string[] = [];
  const output = new PassThrough();
  let out = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const printer = new ConsolePrinter(output);
  const store = await openStore('sqlite::memory:');
  const runtime = await createRuntime(loadConfig({}), createLogger({ level: 'warn', write: (line) => logs.push(line) }), {
    store,
    deliver: (message) => printer.print(message),
    lookingAfterMs: 60_000,
  });
  const input = options.tty ? fakeTty() : new PassThrough();
  const done = runConsole(runtime.consoleReceiver!, printer, { input, output, interactive: options.interactive ?? Boolean(options.tty) });
  await feed(input, () => out);
  await done;
  await store.close();
  return { out, logs };
}

describe('console input', () => {
  it('shows control characters typed into a question instead of echoing them raw', async () => {
    expect(visibleControls('a\x1b[31mb\x07c\x7fd\x9be\tf')).toBe('a^[[31mb^Gc^?d\\x9be\tf');
    const { out, logs } = await session((input) => input.end('model fraud\x1b[2Jdetector\x07\n'));
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/); // eslint-disable-line no-control-regex -- the raw bytes must be gone
    expect(out).toContain('fraud^[[2Jdetector^G');
    expect(logs).toEqual([]);
  });

  it('answers a last line ended by Ctrl-D (no newline) on a line of its own', async () => {
    const { out } = await session((input) => input.end('model fraud-detector'), { interactive: true });
    expect(out.startsWith(`${PROMPT}\n[answer 1]\nLineage trail of model fraud-detector`)).toBe(true);
    const scripted = await session((input) => input.end('model fraud-detector'));
    expect(scripted.out.startsWith('[answer 1]\nLineage trail of model fraud-detector')).toBe(true);
  });

  it('tries a mention, and a follow-up in the thread of an answer as the thread listener answers it', async () => {
    const { out, logs } = await session((input) =>
      input.end(['@Lineage what uses customers?', 'model fraud-detector', 'thread 2 which feature groups?', 'thread 1 upstream?', 'thread 9 endpoints?', 'thread 2', '@lineage'].join('\n') + '\n'),
    );
    // The mention is answered in its own thread, as in Slack.
    expect(out).toContain('[answer 1, in the thread of your mention]\nConsumers of feature group customers');
    expect(out).toContain('[answer 2]\nLineage trail of model fraud-detector');
    // Follow-ups in a thread read the thread's entity from the store, as the thread listener does.
    expect(out).toContain('[answer 3, in the thread of answer 2]\nFeature groups behind model fraud-detector');
    expect(out).toContain('[answer 4, in the thread of your mention]\nWhat builds feature group customers');
    expect(out).toContain('There is no answer 9.');
    expect(out).toContain('Say what to ask in the thread, e.g. "thread 2 endpoints?"');
    expect(out).toContain('[answer 5, in the thread of your mention]\nLineage bot: what you can ask'); // "@lineage" alone
    expect(logs).toEqual([]);
  });

  it('lists the console ways in help', async () => {
    const { out } = await session((input) => input.end('help\n'));
    expect(out).toContain(CONSOLE_HELP);
    expect(CONSOLE_HELP).toMatch(/@Lineage <text>/);
    expect(CONSOLE_HELP).toMatch(/thread N <text>/);
  });

  it('on a terminal: edits the line, recalls history with the up arrow, and sends a line ended by Ctrl-D', async () => {
    const trails = (text: string) => (text.match(/Lineage trail of model fraud-detector/g) ?? []).length;
    const { out } = await session(
      async (input, printed) => {
        const answered = async (count: number) => {
          while (trails(printed()) < count) await new Promise((resolve) => setTimeout(resolve, 10));
        };
        input.write('model fraud-detectorX\x7f\r'); // Backspace deletes the typo
        await answered(1);
        input.write('\x1b[A\r'); // the up arrow brings the last line back
        await answered(2);
        input.write('model fraud-detector\x04'); // Ctrl-D at the end of a typed line sends it
        await answered(3);
        input.write('\x04'); // Ctrl-D on an empty line leaves
      },
      { tty: true },
    );
    expect(trails(out)).toBe(3);
    expect(out).not.toContain('fraud-detectorX\n');
    expect(out).toMatch(new RegExp(`${PROMPT}[^\\n]*\\n$`)); // leaving ends the prompt's line: the shell's prompt comes back on a new one
  });
});
