// Configuration: one zod schema over the environment (and .env), validated at start-up.
// A bad value stops start-up with a message naming every bad variable — never its value.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './config-error.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const number = Number(value);
      if (!Number.isInteger(number) || number < min || number > max) {
        context.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return number;
    });

const url = (what: string) =>
  optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s/]+/.test(value), {
    message: `must be an http(s) URL (${what})`,
  });

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/** AWS tag keys: letters, digits, spaces and _ . : / = + - @, up to 128 characters. */
const TAG_KEY = /^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u;

/** Comma-separated list with blanks dropped; empty or unset gives the fallback. */
function list(fallback: readonly string[]) {
  return z
    .string()
    .optional()
    .transform((value) => {
      const items = (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length > 0 ? items : [...fallback];
    });
}

/** Variables whose values are secrets: never printed, not even in validation errors. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_EVENTS_API_KEY',
  'METRICS_TOKEN',
] as const;

/**
 * The values a log must never show, from the environment the configuration was read from: every
 * SECRET_VARIABLES value that is set, and the password in a postgres:// STORE_URL (as written and
 * decoded). The logger scrubs each one from every line (src/logger.ts).
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values: string[] = SECRET_VARIABLES.flatMap((name) => (env[name] ? [env[name]] : []));
  const store = env['STORE_URL'];
  if (store && /^postgres(ql)?:\/\//.test(store)) {
    try {
      const password = new URL(store).password;
      if (password) values.push(password, decodeURIComponent(password));
    } catch {
      // An unparsable STORE_URL is reported by loadConfig, without its value.
    }
  }
  return [...new Set(values)];
}

const EnvSchema = z
  .object({
    LINEAGE_SOURCE: z
      .enum(['demo', 'snapshot', 'sagemaker'], { message: 'must be demo, snapshot or sagemaker' })
      .default('demo'),
    LINEAGE_SNAPSHOT: optionalText,
    LINEAGE_MAX_DEPTH: int(1, 100, 30),
    LINEAGE_MAX_VERTICES: int(10, 100_000, 5_000),
    AWS_REGION: optionalText.refine((value) => value === undefined || /^[a-z]{2}(-[a-z]+)+-\d+$/.test(value), {
      message: 'must be an AWS region such as us-east-1',
    }),
    AWS_ENDPOINT_URL_SAGEMAKER: url('a SageMaker endpoint override'),
    AWS_MAX_ATTEMPTS: int(1, 20, 5),
    AWS_RETRY_MODE: z.enum(['standard', 'adaptive'], { message: 'must be standard or adaptive' }).default('standard'),
    SAGEMAKER_TIMEOUT_MS: int(100, 120_000, 10_000),
    SAGEMAKER_CONCURRENCY: int(1, 64, 8),
    SLACK_BOT_TOKEN: optionalText.refine((value) => value === undefined || value.startsWith('xoxb-'), {
      message: 'must be a bot token starting with xoxb-',
    }),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.refine((value) => value === undefined || value.startsWith('xapp-'), {
      message: 'must be an app-level token starting with xapp-',
    }),
    SLACK_API_URL: url('the Slack Web API base, ending in /api/'),
    PORT: int(1, 65_535, 3000),
    // Unset: every interface, as Node's server.listen(port) does.
    HOST: optionalText.refine((value) => value === undefined || /^[\w.:-]+$/.test(value), {
      message: 'must be a host name or IP address such as 127.0.0.1 or ::',
    }),
    SLACK_STARTUP_TIMEOUT_SECONDS: int(1, 3600, 60),
    METRICS_TOKEN: optionalText.refine((value) => value === undefined || value.length >= 16, { message: 'must be at least 16 characters long' }),
    STORE_URL: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value.trim() === '' ? 'sqlite:./data/lineage-bot.db' : value.trim()))
      .refine((value) => /^sqlite:.+/.test(value) || /^postgres(ql)?:\/\/.+/.test(value), {
        message: 'must be sqlite:<path> or postgres://…',
      }),
    CACHE_TTL_SECONDS: int(0, 7 * 24 * 3600, 600),
    // lru-cache allocates its index for `max` up front (~40 bytes an entry): keep the ceiling sane.
    CACHE_MAX_ENTRIES: int(1, 1_000_000, 10_000),
    CACHE_MAX_BYTES: int(1024, 8 * 1024 ** 3, 64 * 1024 ** 2),
    // Pictures are a few hundred kB each: 32 MiB holds about a hundred subjects.
    CACHE_PICTURE_MAX_BYTES: int(1024, 8 * 1024 ** 3, 32 * 1024 ** 2),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { message: 'must be debug, info, warn or error' }).default('info'),
    LOG_FORMAT: z.enum(['text', 'json'], { message: 'must be text or json' }).default('text'),
    // Change and deprecation notices.
    LINEAGE_ADMINS: list([]).refine((ids) => ids.every((id) => SLACK_USER_ID.test(id)), {
      message: 'must be comma-separated Slack user IDs such as U012ABCDEF',
    }),
    OWNER_TAG_KEYS: list(['owner']).refine((keys) => keys.every((key) => TAG_KEY.test(key)), {
      message: 'must be comma-separated AWS tag keys',
    }),
    CHANNEL_TAG_KEYS: list(['slack-channel']).refine((keys) => keys.every((key) => TAG_KEY.test(key)), {
      message: 'must be comma-separated AWS tag keys',
    }),
    REMINDER_DAYS: z
      .string()
      .optional()
      .transform((value, context) => {
        const text = (value ?? '').trim();
        if (text === '') return [7, 1];
        // "none" (or 0 alone) turns reminders off while keeping the final report.
        if (text === 'none' || text === '0') return [];
        const days = text.split(',').map((part) => Number(part.trim()));
        if (days.some((day) => !Number.isInteger(day) || day < 1 || day > 365)) {
          context.addIssue({ code: 'custom', message: 'must be comma-separated whole numbers of days from 1 to 365 (or none)' });
          return z.NEVER;
        }
        // Largest first: the order reminders go out in.
        return [...new Set(days)].sort((a, b) => b - a);
      }),
    WATCH_INTERVAL_SECONDS: z
      .string()
      .optional()
      .transform((value, context) => {
        const text = (value ?? '').trim();
        if (text === '') return 0;
        const seconds = Number(text);
        if (!Number.isInteger(seconds) || seconds < 0 || seconds > 7 * 24 * 3600 || (seconds > 0 && seconds < 10)) {
          context.addIssue({ code: 'custom', message: 'must be 0 (off) or a whole number of seconds from 10 to 604800' });
          return z.NEVER;
        }
        return seconds;
      }),
    // A channel ID (C…, G…) or #name; escalations with no team channel of their own go there.
    NOTICE_ESCALATION_CHANNEL: optionalText.refine((value) => value === undefined || /^([CG][A-Z0-9]{2,}|#?[a-z0-9][a-z0-9._-]{0,79})$/.test(value), {
      message: 'must be a Slack channel ID such as C012ABCDEF or a channel name such as #ml-platform',
    }),
    AWS_EVENTS_API_KEY: optionalText.refine((value) => value === undefined || value.length >= 16, { message: 'must be at least 16 characters long' }),
    // Marks a deprecated feature group in SageMaker when its date passes (iam/write-back.json): opt-in, as it writes to the account.
    NOTICE_WRITE_BACK: z
      .string()
      .optional()
      .transform((value) => (value === undefined || value.trim() === '' ? 'false' : value.trim().toLowerCase()))
      .pipe(z.stringbool({ error: 'must be true or false' })),
  });

/** Every variable the schema reads, in its order (.env.example lists the same ones). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** Rules between variables, checked on the raw text so they are reported alongside the per-variable ones. */
function combinationProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const problems: string[] = [];
  if ((env['LINEAGE_SOURCE'] ?? '').trim() === 'snapshot' && !set('LINEAGE_SNAPSHOT')) {
    problems.push('LINEAGE_SNAPSHOT is required when LINEAGE_SOURCE=snapshot');
  }
  if (set('SLACK_APP_TOKEN') && !set('SLACK_BOT_TOKEN')) {
    problems.push('SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode)');
  }
  if (!set('SLACK_APP_TOKEN') && set('SLACK_BOT_TOKEN') !== set('SLACK_SIGNING_SECRET')) {
    const missing = set('SLACK_BOT_TOKEN') ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    problems.push(
      `${missing} is required: HTTP mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET together (or set SLACK_APP_TOKEN for Socket Mode)`,
    );
  }
  if (/^(true|1|yes|on|y|enabled)$/i.test((env['NOTICE_WRITE_BACK'] ?? '').trim()) && (env['LINEAGE_SOURCE'] ?? '').trim() !== 'sagemaker') {
    problems.push('NOTICE_WRITE_BACK=true needs LINEAGE_SOURCE=sagemaker: write-back marks feature groups in the SageMaker account the bot reads');
  }
  return problems;
}

export type SlackMode =
  | { kind: 'console' }
  | { kind: 'http'; botToken: string; signingSecret: string; port: number; host?: string }
  | { kind: 'socket'; botToken: string; appToken: string; signingSecret?: string; /** /healthz and /aws/events */ port: number; host?: string };

/** How to reach SageMaker: for LINEAGE_SOURCE=sagemaker, and for `lineage-bot export` whatever the source. */
export interface SageMakerSettings {
  region?: string;
  endpoint?: string;
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  requestTimeoutMs: number;
  concurrency: number;
}

export interface NoticesConfig {
  /** Slack user IDs allowed to announce a change to any feature group. */
  admins: readonly string[];
  /** Tag keys holding an owner's email or Slack user ID. */
  ownerTagKeys: readonly string[];
  /** Tag keys holding a team's Slack channel (#name or ID). */
  channelTagKeys: readonly string[];
  /** Days before the effective date on which unacknowledged owners are reminded, largest first. */
  reminderDays: readonly number[];
  /** How often the watcher compares feature group definitions; 0 turns it off. */
  watchIntervalSeconds: number;
  /** Shared secret of POST /aws/events; the route is off without it. */
  awsEventsApiKey?: string;
  /** Where owners who did not acknowledge by the last reminder are escalated when they have no other team channel (ID or #name). */
  escalationChannel?: string;
  /**
   * NOTICE_WRITE_BACK: when a deprecation's date passes, tag the feature group (and its features'
   * metadata, for a notice about some features) in SageMaker. Needs iam/write-back.json.
   */
  writeBack: boolean;
}

export interface Config {
  source: { kind: 'demo' } | { kind: 'snapshot'; path: string } | { kind: 'sagemaker' };
  sagemaker: SageMakerSettings;
  limits: { maxDepth: number; maxVertices: number };
  slack: SlackMode;
  slackApiUrl?: string;
  storeUrl: string;
  cache: { ttlSeconds: number; maxEntries: number; maxBytes: number; pictureMaxBytes: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** text: one readable line per entry; json: one JSON object per line. */
  logFormat: 'text' | 'json';
  /** How long start-up keeps trying to reach Slack before giving up. */
  slackStartupTimeoutSeconds: number;
  /** Bearer token of GET /metrics; without it /metrics answers only on a loopback HOST. */
  metricsToken?: string;
  /** Change and deprecation notices (LINEAGE_ADMINS, tag keys, reminders, watcher, /aws/events). */
  notices: NoticesConfig;
}

export { ConfigError };

/** Validates the environment into a frozen Config. Throws ConfigError listing every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<Config> {
  const result = EnvSchema.safeParse(env);
  // zod messages here never include the input, so a secret cannot leak through them.
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...combinationProblems(env),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = result.data;
  const slack: SlackMode = e.SLACK_APP_TOKEN
    ? {
        kind: 'socket',
        botToken: e.SLACK_BOT_TOKEN as string,
        appToken: e.SLACK_APP_TOKEN,
        ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
        port: e.PORT,
        ...(e.HOST ? { host: e.HOST } : {}),
      }
    : e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? { kind: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, port: e.PORT, ...(e.HOST ? { host: e.HOST } : {}) }
      : { kind: 'console' };
  const source: Config['source'] =
    e.LINEAGE_SOURCE === 'snapshot' ? { kind: 'snapshot', path: e.LINEAGE_SNAPSHOT as string } : { kind: e.LINEAGE_SOURCE };
  return deepFreeze({
    source,
    sagemaker: {
      ...(e.AWS_REGION ? { region: e.AWS_REGION } : {}),
      ...(e.AWS_ENDPOINT_URL_SAGEMAKER ? { endpoint: e.AWS_ENDPOINT_URL_SAGEMAKER } : {}),
      maxAttempts: e.AWS_MAX_ATTEMPTS,
      retryMode: e.AWS_RETRY_MODE,
      requestTimeoutMs: e.SAGEMAKER_TIMEOUT_MS,
      concurrency: e.SAGEMAKER_CONCURRENCY,
    },
    limits: { maxDepth: e.LINEAGE_MAX_DEPTH, maxVertices: e.LINEAGE_MAX_VERTICES },
    slack,
    ...(e.SLACK_API_URL ? { slackApiUrl: e.SLACK_API_URL } : {}),
    storeUrl: e.STORE_URL,
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES, maxBytes: e.CACHE_MAX_BYTES, pictureMaxBytes: e.CACHE_PICTURE_MAX_BYTES },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    slackStartupTimeoutSeconds: e.SLACK_STARTUP_TIMEOUT_SECONDS,
    ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}),
    notices: {
      admins: e.LINEAGE_ADMINS,
      ownerTagKeys: e.OWNER_TAG_KEYS,
      channelTagKeys: e.CHANNEL_TAG_KEYS,
      reminderDays: e.REMINDER_DAYS,
      watchIntervalSeconds: e.WATCH_INTERVAL_SECONDS,
      ...(e.AWS_EVENTS_API_KEY ? { awsEventsApiKey: e.AWS_EVENTS_API_KEY } : {}),
      ...(e.NOTICE_ESCALATION_CHANNEL ? { escalationChannel: e.NOTICE_ESCALATION_CHANNEL } : {}),
      writeBack: e.NOTICE_WRITE_BACK,
    },
  });
}

/**
 * The environment to configure from: `.env` in `cwd` (if present) under the real environment,
 * which wins. dotenv's parser is used without touching process.env.
 */
export function readEnvironment(
  cwd: string = process.cwd(),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string | undefined> {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
