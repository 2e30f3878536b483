// Configuration of change and deprecation notices: one zod schema over the environment, in the
// same style as src/config.ts (which will merge it). A bad value names the variable, never its value.
import { z } from 'zod';
import { ConfigError } from '../config-error.js';

/** Variables of this module whose values are secrets: never printed, not even in errors. */
export const NOTICES_SECRET_VARIABLES = ['AWS_EVENTS_API_KEY'] as const;

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

const EnvSchema = z.object({
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
  AWS_EVENTS_API_KEY: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    .refine((value) => value === undefined || value.length >= 16, { message: 'must be at least 16 characters long' }),
});

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
}

/** Validates the notice variables into a frozen NoticesConfig. Throws ConfigError listing every bad variable. */
export function loadNoticesConfig(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<NoticesConfig> {
  const result = EnvSchema.safeParse(env);
  // zod messages here never include the input, so the API key cannot leak through them.
  if (!result.success) {
    throw new ConfigError([...new Set(result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`))]);
  }
  const e = result.data;
  return Object.freeze({
    admins: Object.freeze(e.LINEAGE_ADMINS),
    ownerTagKeys: Object.freeze(e.OWNER_TAG_KEYS),
    channelTagKeys: Object.freeze(e.CHANNEL_TAG_KEYS),
    reminderDays: Object.freeze(e.REMINDER_DAYS),
    watchIntervalSeconds: e.WATCH_INTERVAL_SECONDS,
    ...(e.AWS_EVENTS_API_KEY ? { awsEventsApiKey: e.AWS_EVENTS_API_KEY } : {}),
  });
}
