import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../src/logger.js';

describe('logger', () => {
  it('redacts Slack tokens and configured secrets wherever they appear', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets: ['my-signing-secret'], write: (l) => lines.push(l), now: () => new Date(0) });
    logger.error('token xoxb-123-456-abcdef failed', { signingSecret: 'my-signing-secret', app: 'xapp-1-A1-xyz' });
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line.startsWith('1970-01-01T00:00:00.000Z ERROR [lineage-bot] token xoxb-[redacted] failed')).toBe(true);
    expect(line).not.toContain('abcdef');
    expect(line).not.toContain('my-signing-secret');
    expect(line).not.toContain('xapp-1-A1-xyz');
  });

  it('writes one JSON object per line with LOG_FORMAT=json, secrets redacted as in text', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', format: 'json', secrets: ['my-signing-secret'], write: (l) => lines.push(l), now: () => new Date(0) });
    logger.setName('bolt');
    logger.warn('token xoxb-123-456-abcdef failed\nsecond line', { signingSecret: 'my-signing-secret' });
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain('abcdef');
    expect(line).not.toContain('my-signing-secret');
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(['time', 'level', 'name', 'message']);
    expect(entry).toMatchObject({ time: '1970-01-01T00:00:00.000Z', level: 'warn', name: 'bolt' });
    expect(entry['message']).toMatch(/^token xoxb-\[redacted\] failed\nsecond line /);
  });

  it('drops entries below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (l) => lines.push(l) });
    logger.info('quiet');
    logger.debug('quieter');
    logger.warn('loud');
    expect(lines.map((l) => l.split(' ').slice(1).join(' '))).toEqual(['WARN [lineage-bot] loud']);
  });

  it('redacts AWS secrets written as key/value text', () => {
    expect(redact('aws_secret_access_key=abcd1234SECRET')).not.toContain('abcd1234SECRET');
  });
});
