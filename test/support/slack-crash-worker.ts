// Child process of the crash test: a delivery worker on a SQLite file, sending to a fake Slack on
// 127.0.0.1, until the test kills it (SIGKILL) in the middle of the fan-out.
//   node --import tsx test/support/slack-crash-worker.ts <db-path> <slack-api-url>
import { webApi } from '@slack/bolt';
import { createNoticeRenderer } from '../../blocks/notices/index.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryWorker } from '../../src/notices/delivery-worker.js';
import { SlackHistory, SlackNoticePoster } from '../../src/notices/slack/index.js';
import { openStore } from '../../src/store/index.js';

const [dbPath, slackApiUrl] = process.argv.slice(2);
if (!dbPath || !slackApiUrl) throw new Error('usage: slack-crash-worker.ts <db-path> <slack-api-url>');
const logger = createLogger({ level: 'error', write: (line) => process.stderr.write(`${line}\n`) });
const store = await openStore(`sqlite:${dbPath}`);
const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger, logLevel: webApi.LogLevel.ERROR });
// One send at a time, so "the 8th message" is well defined.
const worker = new DeliveryWorker({ store, poster: new SlackNoticePoster(client), history: new SlackHistory(client), renderer: createNoticeRenderer(), logger, workerId: 'child-worker', concurrency: 1, leaseMs: 60_000, channelIntervalMs: 0 });
worker.start();
