// How a step ends, for both steps: complete() with its outputs, or fail() with one clear sentence.
// Bolt's client makes those calls with the workflow's token and retries them on 429 and 5xx as it
// does every Web API call; when Slack still refuses, the run cannot be told anything more, so the
// log says which step and why.
import type { Logger } from '@slack/logger';
import type { SlackEventMiddlewareArgs } from '@slack/bolt';
import { slackErrorCode } from '../../src/notices/slack/index.js';
import { noticeErrorText } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { plainText, WORKFLOW_MESSAGES } from './messages.js';

type StepArgs = SlackEventMiddlewareArgs<'function_executed'>;

export interface StepEnd {
  complete: StepArgs['complete'];
  fail: StepArgs['fail'];
  logger: Logger;
  /** The step's callback_id, for the log. */
  step: string;
}

export async function succeed(end: StepEnd, outputs: Record<string, unknown>): Promise<void> {
  try {
    await end.complete({ outputs });
  } catch (error) {
    end.logger.error(`Workflow step ${end.step} could not be completed (functions.completeSuccess: ${slackErrorCode(error)})`);
  }
}

export async function failWith(end: StepEnd, message: string): Promise<void> {
  try {
    await end.fail({ error: message });
  } catch (error) {
    end.logger.error(`Workflow step ${end.step} could not be failed (functions.completeError: ${slackErrorCode(error)}): ${message}`);
  }
}

/** A domain error (unknown group, refusal, SageMaker or Slack failing) as the listeners word it, in plain text; what it leaves out is logged. */
export function errorSentence(error: unknown, logger: Logger): string {
  const text = noticeErrorText(error, logger);
  // An unexpected failure (logged by noticeErrorText): a workflow is run again, not asked differently.
  if (text.message === MESSAGES.internal) return WORKFLOW_MESSAGES.internal;
  return plainText(text.hint ? `${text.message} ${text.hint}` : text.message);
}
