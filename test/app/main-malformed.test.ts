// Crafted requests to the real entry point (a child process): signed payloads that are not objects
// used to end the process inside Bolt's receiver. They get 400 (unsigned ones 401, as before), and
// the bot goes on answering /healthz and real commands.
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { FakeSlack } from '../support/slack-fake.js';
import { sendSigned, slashCommand } from '../support/slack-requests.js';
import { startSlackServer, type FakeSlackServer } from '../support/slack-server.js';

let bot: BotProcess | undefined;
let server: FakeSlackServer | undefined;
afterEach(async () => {
  await bot?.kill('SIGKILL');
  await server?.close();
  bot = undefined;
  server = undefined;
});

async function post(url: string, body: string, contentType: string, signed = true): Promise<number> {
  const response = await sendSigned(url, body, { contentType, ...(signed ? {} : { signature: 'v0=0000' }) });
  await response.arrayBuffer();
  return response.status;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const form = (payload: string) => new URLSearchParams({ payload }).toString();

describe('payloads that are not objects, sent to the running bot', () => {
  it('are refused (401 unsigned, 400 signed) while the bot keeps serving health checks and commands', async () => {
    const fake = new FakeSlack({ users: [{ id: 'U1', name: 'Ana' }], channels: [{ id: 'C1', name: 'ml-platform' }] });
    server = await startSlackServer(fake);
    bot = await startBot({ slackApiUrl: server.url, storeUrl: 'sqlite::memory:' });

    expect(await post(bot.url, form('null'), FORM, false)).toBe(401);
    const junk: [string, string][] = [
      [form('null'), FORM],
      ['null', JSON_TYPE],
      [form('[]'), FORM],
      [form('1'), FORM],
      [form('"block_actions"'), FORM],
      ['true', JSON_TYPE],
    ];
    for (const [body, contentType] of junk) expect(await post(bot.url, body, contentType), body).toBe(400);
    // Objects Slack would never send: Bolt answers them as it sees fit, and nothing dies.
    const odd = ['{}', '{"type":"block_actions"}', '{"type":"view_submission"}', '{"type":"event_callback"}', '{"type":{"nested":1}}'];
    const statuses = await Promise.all([...odd.map((payload) => post(bot!.url, form(payload), FORM)), post(bot.url, '{"type":"event_callback","event":null}', JSON_TYPE)]);
    expect(statuses.every((status) => status >= 200 && status < 600)).toBe(true);

    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const command = new URLSearchParams(slashCommand({ text: 'fg customers', user: 'U1', channel: 'C1' }).body);
    command.set('response_url', `${server.responseUrlBase}command-1`);
    expect(await post(bot.url, command.toString(), FORM)).toBe(200);
    const answered = async () => fake.messagesIn('C1').length > 0;
    for (let i = 0; i < 200 && !(await answered()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(fake.messagesIn('C1').map((m) => m.text)).toEqual([expect.stringContaining('customers')]);
    expect(bot.exited()).toBe(false);
    expect(bot.log()).toContain('Refused a signed request to /slack/events whose payload is null, not an object (400)');
    expect(bot.log()).not.toContain('Unexpected error');
  }, 60_000);
});
