// What the announcer is told when write-back (NOTICE_WRITE_BACK) could not mark their deprecated
// feature group in SageMaker: which group, why in words, and what to do about it.
import type { Notice } from '../../src/notices/model.js';
import type { Message } from '../common.js';
import { compact, context, section } from '../elements.js';
import { code, escape, fallback, LIMITS, truncate } from '../text.js';
import { NOTICE_BLOCK } from './ids.js';

/** The write-back's failure code (src/notices/write-back.ts) in words; data in it is escaped. */
export function writeBackFailureWords(error: string): string {
  const denied = /^access_denied: (.+)$/.exec(error);
  if (denied?.[1] === 'credentials') return 'SageMaker did not accept the bot’s AWS credentials.';
  if (denied) return `the bot’s AWS identity is not allowed to call ${code(denied[1] ?? '')}: grant it the policy in ${code('iam/write-back.json')}.`;
  if (error === 'feature_group_not_found') return 'SageMaker no longer has that feature group.';
  return `SageMaker kept refusing it: ${escape(error)}`;
}

export function buildWriteBackFailed(notice: Notice, error: string): Message {
  const line = `Feature group ${code(notice.featureGroup)} could not be marked deprecated in SageMaker on ${escape(notice.effectiveDate)}: ${writeBackFailureWords(error)}`;
  return {
    text: fallback(`Feature group ${notice.featureGroup} could not be marked deprecated in SageMaker`),
    blocks: compact([
      section(truncate(line, LIMITS.sectionText), NOTICE_BLOCK.writeBack),
      context(`The bot will not try again for this date. Notice ${code(notice.id)}; owners were told as usual.`, NOTICE_BLOCK.footer),
    ]),
  };
}
