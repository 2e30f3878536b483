import { describe, expect, it } from 'vitest';
import { SECRET_VARIABLES, secretValues } from '../../src/config.js';
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
    expect(Object.keys(entry)).toEqual(['level', 'time', 'name', 'message']);
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

  it('scrubs every secret variable and the STORE_URL password, whatever quotes them', () => {
    const env = Object.fromEntries(SECRET_VARIABLES.map((name) => [name, `value-of-${name}`]));
    const secrets = secretValues({ ...env, STORE_URL: 'postgres://bot:p%40ss-word-42@db:5432/lineage', LOG_LEVEL: 'debug' });
    expect(secrets).toEqual([...SECRET_VARIABLES.map((name) => `value-of-${name}`), 'p%40ss-word-42', 'p@ss-word-42']);
    for (const format of ['text', 'json'] as const) {
      const lines: string[] = [];
      const logger = createLogger({ level: 'debug', format, secrets, write: (l) => lines.push(l) });
      logger.error(`failed with ${Object.values(env).join(' ')} and p@ss-word-42`, new Error('value-of-AWS_SESSION_TOKEN rejected'));
      expect(lines[0]).not.toMatch(/value-of-|ss-word-42/);
    }
  });
});
