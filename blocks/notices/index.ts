// Notice builders' entry point, and the renderer the delivery worker is given (src/notices cannot
// import blocks/, so the composition root passes this in).
import type { SlackMessage } from '../../src/notices/slack/index.js';
import type { NoticeRenderer } from '../../src/notices/status.js';
import { withSourceNote } from '../source-note.js';
import { buildChangedNotice, buildEscalation, buildNoticeMessage, buildReminder } from './notice-message.js';
import { buildAnnounceFailed, buildFinalReport, buildSummary } from './summary.js';
import { buildWriteBackFailed } from './write-back.js';

export { buildDeprecateModal, decodeModalMetadata, encodeModalMetadata, featureOption, MAX_FEATURE_GROUP_REFERENCE, MAX_STATIC_OPTIONS, type DeprecateModalInput, type DeprecateModalMetadata } from './deprecate-modal.js';
export { DEPRECATE_MODAL, MOVE_MODAL, NOTICE_ACTION, NOTICE_BLOCK } from './ids.js';
export { buildImpact, impactSummaryText } from './impact.js';
export { decodeNoticeButton, encodeNoticeButton, ManageButton, NoticeButton, type ManageValue, type NoticeButtonValue } from './button-value.js';
export { buildChangedNotice, buildEscalation, buildNoticeMessage, buildReminder } from './notice-message.js';
export { buildMoveModal } from './move-modal.js';
export { buildAnnounceFailed, buildFinalReport, buildSummary } from './summary.js';
export { buildWhoElse } from './who-else.js';
export { buildWriteBackFailed, writeBackFailureWords } from './write-back.js';

/** `sourceNote`: the context line every notice carries while the data is the embedded demo. */
export function createNoticeRenderer(sourceNote?: string): NoticeRenderer<SlackMessage> {
  return {
    notice: (notice, recipient, ack) => withSourceNote(buildNoticeMessage(notice, recipient, ack), sourceNote),
    reminder: (notice, recipient, daysLeft) => withSourceNote(buildReminder(notice, recipient, daysLeft), sourceNote),
    summary: (status) => withSourceNote(buildSummary(status), sourceNote),
    finalReport: (status) => withSourceNote(buildFinalReport(status), sourceNote),
    announceFailed: (notice) => withSourceNote(buildAnnounceFailed(notice), sourceNote),
    changed: (notice, recipient, change) => withSourceNote(buildChangedNotice(notice, recipient, change), sourceNote),
    escalation: (notice, recipient) => withSourceNote(buildEscalation(notice, recipient), sourceNote),
    writeBackFailed: (notice, error) => withSourceNote(buildWriteBackFailed(notice, error), sourceNote),
  };
}
