// `/lineage graph <entity>` over the real runtime: the text answer in the channel, then the PNG in
// its thread through files.uploadV2's three steps against the fake Slack, and what the asker is
// told when the picture cannot be posted (no files:write), with the text answer left in place.
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../commands/messages.js';
import { pictureFileName } from '../../commands/lineage/graph.js';
import { SUBCOMMANDS } from '../../commands/subcommands.js';
import { startSlackWorkspace, type SlackWorkspace } from '../support/slack-http.js';
import { CHANNELS, PEOPLE } from '../support/slack-world.js';

let h: SlackWorkspace | undefined;
afterEach(async () => h?.close());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function texts(responses: Record<string, unknown>[]): string {
  return JSON.stringify(responses);
}

describe('/lineage graph', () => {
  it('posts the answer, then the PNG into its thread with the caption and alt text (three-step upload)', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(responses).toEqual([]);
    const [answer, ...others] = h.fake.messagesIn(CHANNELS.announce.id);
    expect(others).toEqual([]);
    expect(answer?.text).toContain('fraud-detector');
    const methods = h.fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.'));
    expect(methods).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(h.fake.files).toHaveLength(1);
    const file = h.fake.files[0]!;
    expect(file.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(file.bytes?.length).toBe(file.length);
    expect(file.filename).toBe('lineage-fraud-detector.png');
    expect(file.channel).toBe(CHANNELS.announce.id);
    expect(file.threadTs).toBe(answer?.ts);
    expect(file.initialComment).toBe('Lineage around model fraud-detector: 12 entities.');
    expect(file.altText).toMatch(/^Lineage around model fraud-detector, drawn left to right: .*\bmodel\b/);
    expect(file.altText!.length).toBeLessThanOrEqual(1000);
  });

  it('is listed in help', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('help', PEOPLE.ana.id);
    expect(texts(responses)).toContain('graph &lt;name|arn|s3-uri&gt;');
    expect(SUBCOMMANDS.find((s) => s.names.includes('graph'))?.description).toMatch(/picture/);
  });

  it('without files:write, keeps the text answer and tells the asker which scope is missing', async () => {
    h = await startSlackWorkspace();
    h.fake.inject(/^files\./, { error: 'missing_scope', needed: 'files:write', provided: 'chat:write' });
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    const [answer] = h.fake.messagesIn(CHANNELS.announce.id);
    expect(answer?.text).toContain('fraud-detector');
    expect(answer?.updates).toBe(0);
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(texts(responses)).toContain(MESSAGES.pictureNeedsScope);
    expect(MESSAGES.pictureNeedsScope).toContain('`files:write`');
    expect(h.fake.files.every((f) => f.channel === undefined)).toBe(true);
  });

  it('an upload that still fails (5xx) after the client\'s retries leaves the text answer and says the picture failed', async () => {
    h = await startSlackWorkspace();
    h.fake.beforeUpload = () => ({ status: 503, body: 'unavailable' });
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toHaveLength(1);
    expect(h.fake.callsTo('files.completeUploadExternal')).toEqual([]);
    expect(texts(responses)).toContain(MESSAGES.pictureFailed);
    expect(h.logs.join('\n')).toMatch(/Posting a lineage picture failed/);
  });

  it('an upload answered 503, then 429, is retried by the app\'s Web API client and lands in the thread', async () => {
    h = await startSlackWorkspace({ retryConfig: { retries: 3, minTimeout: 1, maxTimeout: 1 } });
    const failures = [
      { status: 503, body: 'unavailable' },
      { status: 429, headers: { 'retry-after': '0' }, body: 'ratelimited' },
    ];
    let attempts = 0;
    h.fake.beforeUpload = () => {
      attempts++;
      return failures.shift();
    };
    const { responses } = await h.run('graph fraud-detector', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(responses).toEqual([]);
    expect(attempts).toBe(3);
    const [answer] = h.fake.messagesIn(CHANNELS.announce.id);
    expect(h.fake.files).toHaveLength(1);
    expect(h.fake.files[0]?.threadTs).toBe(answer?.ts);
    expect(h.fake.files[0]?.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('an unknown entity is answered as any question is, and nothing is uploaded', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('graph no-such-thing', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(h.fake.messagesIn(CHANNELS.announce.id)).toEqual([]);
    expect(h.fake.files).toEqual([]);
    expect(texts(responses)).toContain('no-such-thing');
  });

  it('a missing entity asks for one', async () => {
    h = await startSlackWorkspace();
    const { responses } = await h.run('graph', PEOPLE.ana.id, CHANNELS.announce.id);
    expect(texts(responses)).toContain('graph &lt;name|arn|s3-uri&gt;');
    expect(h.fake.files).toEqual([]);
  });
});

describe('pictureFileName', () => {
  it('keeps safe characters only, never empty', () => {
    expect(pictureFileName('fraud-detector')).toBe('lineage-fraud-detector.png');
    expect(pictureFileName('a"b]<c>/../d')).toBe('lineage-a-b-c-..-d.png');
    expect(pictureFileName('<<>>')).toBe('lineage-entity.png');
    expect(pictureFileName('x'.repeat(2000))).toHaveLength('lineage-.png'.length + 80);
  });
});
