import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnvironment } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the demo, console mode and the embedded SQLite store', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      source: { kind: 'demo' },
      sagemaker: { maxAttempts: 5, retryMode: 'standard', requestTimeoutMs: 10000, concurrency: 8 },
      limits: { maxDepth: 30, maxVertices: 5000 },
      slack: { kind: 'console' },
      storeUrl: 'sqlite:./data/lineage-bot.db',
      cache: { ttlSeconds: 600, maxEntries: 10000, maxBytes: 64 * 1024 * 1024, pictureMaxBytes: 32 * 1024 * 1024 },
      logLevel: 'info',
      logFormat: 'text',
      slackStartupTimeoutSeconds: 60,
      notices: { admins: [], ownerTagKeys: ['owner'], channelTagKeys: ['slack-channel'], reminderDays: [7, 1], watchIntervalSeconds: 0, writeBack: false },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.cache)).toBe(true);
  });

  it('chooses HTTP mode with a bot token and a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh', PORT: '8080' });
    expect(config.slack).toEqual({ kind: 'http', botToken: 'xoxb-1-2-abc', signingSecret: 'shh', port: 8080 });
  });

  it('listens on HOST when it is set, and refuses an address with spaces', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh', HOST: '127.0.0.1' });
    expect(config.slack).toEqual({ kind: 'http', botToken: 'xoxb-1-2-abc', signingSecret: 'shh', port: 3000, host: '127.0.0.1' });
    expect(() => loadConfig({ HOST: 'not a host' })).toThrow(/HOST must be a host name or IP address/);
  });

  it('reads LOG_FORMAT, SLACK_STARTUP_TIMEOUT_SECONDS and METRICS_TOKEN', () => {
    const config = loadConfig({ LOG_FORMAT: 'json', SLACK_STARTUP_TIMEOUT_SECONDS: '5', METRICS_TOKEN: 'metrics-token-0123456789' });
    expect([config.logFormat, config.slackStartupTimeoutSeconds, config.metricsToken]).toEqual(['json', 5, 'metrics-token-0123456789']);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be text or json/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters long/);
  });

  it('chooses Socket Mode when an app token is set', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(config.slack).toEqual({ kind: 'socket', botToken: 'xoxb-1', appToken: 'xapp-1', port: 3000 });
  });

  it('reads the SageMaker settings', () => {
    const config = loadConfig({
      LINEAGE_SOURCE: 'sagemaker',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_SAGEMAKER: 'http://127.0.0.1:4566',
      AWS_MAX_ATTEMPTS: '3',
      AWS_RETRY_MODE: 'standard',
    });
    expect(config.source).toEqual({ kind: 'sagemaker' });
    expect(config.sagemaker).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
      maxAttempts: 3,
      retryMode: 'standard',
      requestTimeoutMs: 10000,
      concurrency: 8,
    });
  });

  it('names every bad variable at once', () => {
    expect(
      problems({ LINEAGE_SOURCE: 'oracle', PORT: '70000', CACHE_TTL_SECONDS: '-1', STORE_URL: 'mysql://x', AWS_REGION: 'mars' }),
    ).toEqual([
      'LINEAGE_SOURCE must be demo, snapshot or sagemaker',
      'AWS_REGION must be an AWS region such as us-east-1',
      'PORT must be a whole number from 1 to 65535',
      'STORE_URL must be sqlite:<path> or postgres://…',
      'CACHE_TTL_SECONDS must be a whole number from 0 to 604800',
    ]);
  });

  it('bounds the cache size: lru-cache reserves memory for its maximum up front', () => {
    expect(problems({ CACHE_MAX_ENTRIES: '10000000' })).toEqual(['CACHE_MAX_ENTRIES must be a whole number from 1 to 1000000']);
    expect(problems({ CACHE_PICTURE_MAX_BYTES: '10' })).toEqual(['CACHE_PICTURE_MAX_BYTES must be a whole number from 1024 to 8589934592']);
    expect(loadConfig({ CACHE_PICTURE_MAX_BYTES: '4096' }).cache.pictureMaxBytes).toBe(4096);
  });

  it('reports the notice variables with the others, and never the events API key', () => {
    const found = problems({ PORT: 'x', LINEAGE_ADMINS: 'not-a-user', AWS_EVENTS_API_KEY: 'short-key' });
    expect(found).toEqual([
      'PORT must be a whole number from 1 to 65535',
      'LINEAGE_ADMINS must be comma-separated Slack user IDs such as U012ABCDEF',
      'AWS_EVENTS_API_KEY must be at least 16 characters long',
    ]);
    expect(found.join('\n')).not.toContain('short-key');
  });

  it('requires a snapshot path for the snapshot source', () => {
    expect(problems({ LINEAGE_SOURCE: 'snapshot' })).toEqual(['LINEAGE_SNAPSHOT is required when LINEAGE_SOURCE=snapshot']);
  });

  it('requires the Slack variables in pairs, and never prints their values', () => {
    const secret = 'xoxb-very-secret-token-123';
    const found = problems({ SLACK_BOT_TOKEN: secret });
    expect(found).toEqual([
      'SLACK_SIGNING_SECRET is required: HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET together (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
    const bad = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_SIGNING_SECRET: 'signing-secret-value', SLACK_APP_TOKEN: 'not-an-app-token' });
    const text = bad.join('\n');
    expect(text).toContain('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
    expect(text).toContain('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
    for (const value of [secret, 'xoxp-user-token-secret', 'signing-secret-value', 'not-an-app-token']) expect(text).not.toContain(value);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: ' ', PORT: '' }).slack).toEqual({ kind: 'console' });
  });
});

describe('readEnvironment', () => {
  it('reads .env under the real environment, which wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-env-'));
    writeFileSync(join(dir, '.env'), 'PORT=4000\nLINEAGE_SOURCE=snapshot\nLINEAGE_SNAPSHOT=./x.json\n');
    const env = readEnvironment(dir, { PORT: '5000' });
    expect(env).toMatchObject({ PORT: '5000', LINEAGE_SOURCE: 'snapshot', LINEAGE_SNAPSHOT: './x.json' });
  });

  it('works without a .env file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-env-'));
    expect(readEnvironment(dir, { A: '1' })).toEqual({ A: '1' });
  });
});
