import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The notice variables are part of the one configuration schema; these tests read its `notices`. */
const loadNoticesConfig = (env: Record<string, string>) => loadConfig(env).notices;

function problems(env: Record<string, string>): string[] {
  try {
    loadNoticesConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: the notice variables', () => {
  it('defaults: no admins, owner / slack-channel tags, reminders 7 and 1 days before, watcher, events and write-back off', () => {
    const config = loadNoticesConfig({});
    expect(config).toEqual({ admins: [], ownerTagKeys: ['owner'], channelTagKeys: ['slack-channel'], reminderDays: [7, 1], watchIntervalSeconds: 0, writeBack: false });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.reminderDays)).toBe(true);
  });

  it('reads every variable', () => {
    expect(
      loadNoticesConfig({
        LINEAGE_ADMINS: ' U012ABC , W0456DEF ',
        OWNER_TAG_KEYS: 'owner,maintainer',
        CHANNEL_TAG_KEYS: 'team-channel',
        REMINDER_DAYS: '1,14,7,7',
        WATCH_INTERVAL_SECONDS: '300',
        AWS_EVENTS_API_KEY: 'a-long-enough-shared-secret',
        NOTICE_ESCALATION_CHANNEL: ' #ml-platform ',
        NOTICE_WRITE_BACK: ' TRUE ',
        LINEAGE_SOURCE: 'sagemaker',
      }),
    ).toEqual({
      admins: ['U012ABC', 'W0456DEF'],
      ownerTagKeys: ['owner', 'maintainer'],
      channelTagKeys: ['team-channel'],
      reminderDays: [14, 7, 1],
      watchIntervalSeconds: 300,
      awsEventsApiKey: 'a-long-enough-shared-secret',
      escalationChannel: '#ml-platform',
      writeBack: true,
    });
    expect(loadNoticesConfig({ NOTICE_WRITE_BACK: 'false' }).writeBack).toBe(false);
    expect(loadNoticesConfig({ NOTICE_ESCALATION_CHANNEL: 'C012ABCDEF' }).escalationChannel).toBe('C012ABCDEF');
    expect(loadNoticesConfig({ REMINDER_DAYS: 'none' }).reminderDays).toEqual([]);
  });

  it('names every bad variable and never prints the API key', () => {
    const found = problems({
      LINEAGE_ADMINS: 'alice@example.com',
      REMINDER_DAYS: '7,-1',
      WATCH_INTERVAL_SECONDS: '5',
      AWS_EVENTS_API_KEY: 'short-secret',
      OWNER_TAG_KEYS: 'owner,<bad>',
      NOTICE_ESCALATION_CHANNEL: '<!channel>',
    });
    expect(found).toEqual([
      'LINEAGE_ADMINS must be comma-separated Slack user IDs such as U012ABCDEF',
      'OWNER_TAG_KEYS must be comma-separated AWS tag keys',
      'REMINDER_DAYS must be comma-separated whole numbers of days from 1 to 365 (or none)',
      'WATCH_INTERVAL_SECONDS must be 0 (off) or a whole number of seconds from 10 to 604800',
      'NOTICE_ESCALATION_CHANNEL must be a Slack channel ID such as C012ABCDEF or a channel name such as #ml-platform',
      'AWS_EVENTS_API_KEY must be at least 16 characters long',
    ]);
    expect(found.join('\n')).not.toContain('short-secret');
  });

  it('turns write-back on only over SageMaker, and only with true or false', () => {
    expect(problems({ NOTICE_WRITE_BACK: 'true' })).toEqual([
      'NOTICE_WRITE_BACK=true needs LINEAGE_SOURCE=sagemaker: write-back marks feature groups in the SageMaker account the bot reads',
    ]);
    expect(problems({ NOTICE_WRITE_BACK: 'maybe', LINEAGE_SOURCE: 'sagemaker' })).toEqual(['NOTICE_WRITE_BACK must be true or false']);
  });
});
