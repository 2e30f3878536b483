// The last-resort handler of src/main.ts: an error nothing caught is logged with the request it
// happened in (never its body) and the bot goes on; errors that mean the process cannot work any
// more, or a burst of them, end it.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BURST, installLastResort, isFatal } from '../../src/last-resort.js';
import { createLogger } from '../../src/logger.js';
import { RequestContext } from '../../src/request-context.js';

function setUp() {
  const lines: string[] = [];
  const exits: number[] = [];
  const target = new EventEmitter();
  let now = 0;
  const requests = new RequestContext();
  const remove = installLastResort({
    logger: createLogger({ level: 'info', write: (line) => lines.push(line) }),
    requests,
    exit: (code) => exits.push(code),
    target: target as unknown as NodeJS.Process,
    now: () => now,
  });
  return { lines, exits, target, requests, remove, tick: (ms: number) => (now += ms) };
}

describe('the last-resort error handler', () => {
  it('logs an unexpected error with its request and keeps serving', () => {
    const { lines, exits, target, requests } = setUp();
    requests.run({ method: 'POST', path: '/slack/events', kind: 'block_actions', retryNum: '1' }, () => {
      target.emit('uncaughtException', new TypeError("Cannot read properties of null (reading 'type')"), 'uncaughtException');
    });
    target.emit('unhandledRejection', new Error('a listener forgot to catch'), Promise.resolve());
    expect(exits).toEqual([]);
    expect(lines[0]).toContain('Unexpected error (uncaught exception) while handling POST /slack/events (block_actions) retry 1; still serving:');
    expect(lines[0]).toContain("TypeError: Cannot read properties of null (reading 'type')");
    expect(lines[1]).toContain('Unexpected error (unhandled rejection); still serving:');
  });

  it('stops the process for errors it cannot recover from', () => {
    for (const error of [
      Object.assign(new Error('listen EADDRINUSE: address already in use :::3000'), { code: 'EADDRINUSE' }),
      Object.assign(new Error('spawn ENOMEM'), { code: 'ENOMEM' }),
      new RangeError('Array buffer allocation failed'),
    ]) {
      expect(isFatal(error)).toBe(true);
      const { lines, exits, target } = setUp();
      target.emit('uncaughtException', error, 'uncaughtException');
      expect(exits).toEqual([1]);
      expect(lines[0]).toContain('Stopping: uncaught exception that the process cannot recover from');
    }
    expect(isFatal(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(isFatal(null)).toBe(false);
  });

  it('stops the process when unexpected errors come in a burst, not when they are spread out', () => {
    const { exits, target, tick } = setUp();
    for (let i = 0; i < BURST.count; i++) {
      target.emit('uncaughtException', new Error(`spread ${i}`), 'uncaughtException');
      tick(BURST.windowMs / 2);
    }
    expect(exits).toEqual([]);
    tick(BURST.windowMs);
    for (let i = 0; i < BURST.count; i++) target.emit('unhandledRejection', new Error(`burst ${i}`), Promise.resolve());
    expect(exits).toEqual([]);
    target.emit('unhandledRejection', new Error('one too many'), Promise.resolve());
    expect(exits).toEqual([1]);
  });

  it('can be removed', () => {
    const { target, remove } = setUp();
    remove();
    expect(target.listenerCount('uncaughtException') + target.listenerCount('unhandledRejection')).toBe(0);
  });
});
