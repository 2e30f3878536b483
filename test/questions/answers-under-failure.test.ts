// What a Slack user reads when SageMaker fails, through the real SageMakerClient (nock at the
// HTTP level), the cache and the service, to the reply the listener posts.
import type { SectionBlock } from '@slack/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BLOCK } from '../../blocks/index.js';
import { replyToCommand } from '../../commands/lineage/answer.js';
import { MESSAGES } from '../../commands/messages.js';
import { parseCommandText } from '../../commands/subcommands.js';
import { CachedLineageSource } from '../../src/lineage/cache.js';
import { LineageService } from '../../src/lineage/service.js';
import { createSageMakerSource } from '../../src/lineage/sources/sagemaker.js';
import { createSageMakerClient } from '../../src/lineage/sources/sagemaker-client.js';
import { createLogger } from '../../src/logger.js';
import { DEMO_LIMITS } from '../support/demo.js';
import { awsError, JSON_11, sagemaker, testOptions, testSource } from '../support/sagemaker-nock.js';

function deps(source = testSource({ maxAttempts: 1 })) {
  const cache = new CachedLineageSource(source, { ttlMs: 60_000, maxEntries: 100, maxBytes: 1024 * 1024 });
  return { service: new LineageService(cache, DEMO_LIMITS), cache };
}

async function ask(text: string, d = deps()) {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const reply = await replyToCommand(parseCommandText(text), d, logger);
  const error = reply.message.blocks.find((b) => 'block_id' in b && b.block_id === BLOCK.error) as SectionBlock | undefined;
  return { reply, error: error?.text?.text, logs: logs.join('\n') };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('answers when SageMaker does not accept the bot’s AWS identity', () => {
  it('rejected or expired credentials are not reported as a missing permission', async () => {
    sagemaker('DescribeFeatureGroup').reply(400, awsError('ExpiredTokenException', 'The security token included in the request is expired'), JSON_11);
    const { reply, error, logs } = await ask('fg customers');
    expect(reply.ephemeral).toBe(true);
    expect(error).toBe(`:warning: ${MESSAGES.credentialsRejected}`);
    expect(logs).toContain('SageMaker did not accept the AWS credentials for DescribeFeatureGroup (ExpiredTokenException)');
  });

  it('no credentials at all: the log says none were found, the user that sign-in failed', async () => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE']) vi.stubEnv(name, '');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/credentials');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/config');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const { credentials: _none, ...options } = testOptions({ maxAttempts: 1 });
    const source = createSageMakerSource(options, createSageMakerClient(options));
    const { error, logs } = await ask('model fraud-detector', deps(source));
    expect(error).toBe(`:warning: ${MESSAGES.credentialsRejected}`);
    expect(logs).toContain('No AWS credentials were found for DescribeModel');
  });

  it('a missing permission is still named', async () => {
    sagemaker('DescribeFeatureGroup').reply(
      400,
      awsError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/bot/i-0abc is not authorized to perform: sagemaker:DescribeFeatureGroup'),
      JSON_11,
    );
    const { error } = await ask('fg customers');
    expect(error).toBe(`:warning: ${MESSAGES.notAuthorized('sagemaker:DescribeFeatureGroup')}`);
    expect(error).not.toContain('arn:aws:sts');
  });
});
