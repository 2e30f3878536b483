// The bot's logger: Bolt's Logger interface, one line per entry on stderr (text, or one JSON object
// with time, level, name, the request's ids and message when LOG_FORMAT=json), with anything that
// looks like a Slack token or an AWS secret redacted from the finished line before it is written,
// in either format.
import { inspect } from 'node:util';
import { LogLevel, type Logger } from '@slack/logger';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Slack tokens (xoxb-, xoxp-, xapp-…), signing-secret-like hex, AWS secret keys, bearer tokens. */
const SECRET_PATTERNS: RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\b(?:aws_secret_access_key|secretAccessKey|SLACK_SIGNING_SECRET|signingSecret|sessionToken)\b["'=:\s]+[^\s"',}]+/gi,
  /\bBearer\s+[A-Za-z0-9._~+/-]+=*/g,
];

export function redact(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 6) result = result.split(secret).join('[redacted]');
  for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, (match) => `${match.slice(0, 5)}[redacted]`);
  return result;
}

export interface LoggerOptions {
  level: `${LogLevel}`;
  /** Exact secret values to scrub wherever they appear (tokens from the configuration). */
  secrets?: readonly string[];
  /** `text` (default): "TIME LEVEL [name] message"; `json`: one JSON object per line. */
  format?: 'text' | 'json';
  write?: (line: string) => void;
  now?: () => Date;
  /**
   * Fields for every line, read when it is written: the ids of the request being handled
   * (RequestContext.logFields: request_id, user_id, team_id), never text from a payload.
   */
  fields?: () => Readonly<Record<string, string>>;
}

export function createLogger(options: LoggerOptions): Logger {
  let level = options.level as LogLevel;
  let name = 'lineage-bot';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log =
    (at: LogLevel) =>
    (...parts: unknown[]): void => {
      if (ORDER[at] < ORDER[level]) return;
      const text = parts.map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 4, breakLength: Infinity }))).join(' ');
      const time = now().toISOString();
      const fields = options.fields?.() ?? {};
      const line =
        options.format === 'json'
          ? JSON.stringify({ time, level: at, name, ...fields, message: text })
          : `${time} ${at.toUpperCase()} [${name}] ${text}${Object.entries(fields).map(([key, value]) => ` ${key}=${value}`).join('')}`;
      write(redact(line, options.secrets));
    };
  return {
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}
