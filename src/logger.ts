// The bot's logger: pino behind Bolt's Logger interface. pino writes one JSON object per entry
// (time, level, name, the request's ids, message); LOG_FORMAT=json writes it as it is, text turns
// it into one readable line. Either way the finished line is scrubbed before it is written: the
// exact secret values of the configuration, and anything that looks like a Slack token or an AWS
// secret. (pino's own `redact` removes fields by path; a secret can turn up inside any message,
// so the line is scrubbed as text instead.)
import { inspect } from 'node:util';
import { LogLevel, type Logger } from '@slack/logger';
import { pino } from 'pino';

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

/** What pino writes: level, time, name, the request's ids, then the message. */
interface Entry {
  time: string;
  level: string;
  name: string;
  message: string;
  [field: string]: string;
}

/** "TIME LEVEL [name] message request_id=… user_id=… team_id=…" from pino's JSON line. */
function textLine(json: string): string {
  const { time, level, name, message, ...fields } = JSON.parse(json) as Entry;
  return `${time} ${level.toUpperCase()} [${name}] ${message}${Object.entries(fields).map(([key, value]) => ` ${key}=${value}`).join('')}`;
}

export function createLogger(options: LoggerOptions): Logger {
  let name = 'lineage-bot';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const destination = {
    // pino hands over each entry as one serialised line; written synchronously, so nothing is lost at exit.
    write: (line: string) => {
      const json = line.trimEnd();
      write(redact(options.format === 'json' ? json : textLine(json), options.secrets));
    },
  };
  const base = pino(
    {
      level: options.level,
      base: undefined,
      messageKey: 'message',
      timestamp: () => `,"time":${JSON.stringify(now().toISOString())}`,
      // "warn", not pino's number 40: what Bolt's levels and LOG_LEVEL call it.
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ name, ...options.fields?.() }),
    },
    destination,
  );
  // Bolt and the Web API client log any number of parts; they become one message, as console.log joins them.
  const log =
    (at: LogLevel) =>
    (...parts: unknown[]): void => {
      if (!base.isLevelEnabled(at)) return;
      base[at](parts.map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 4, breakLength: Infinity }))).join(' '));
    };
  return {
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (next) => {
      base.level = next;
    },
    getLevel: () => base.level as LogLevel,
    setName: (next) => {
      name = next;
    },
  };
}
