// Notice builders' entry point, and the renderer the delivery worker is given (src/notify cannot
// import blocks/, so the composition root passes this in).
import type { NoticeRenderer } from '../../src/notify/status.js';
import { buildNoticeMessage, buildReminder } from './notice-message.js';
import { buildFinalReport, buildSummary } from './summary.js';

export { buildDeprecateModal, encodeModalMetadata, type DeprecateModalInput, type DeprecateModalMetadata } from './deprecate-modal.js';
export { DEPRECATE_MODAL, NOTICE_ACTION, NOTICE_BLOCK } from './ids.js';
export { buildImpact } from './impact.js';
export { decodeNoticeButton, encodeNoticeButton, NoticeButton, type NoticeButtonValue } from './button-value.js';
export { buildNoticeMessage, buildReminder } from './notice-message.js';
export { buildFinalReport, buildSummary } from './summary.js';
export { buildWhoElse } from './who-else.js';

export function createNoticeRenderer(): NoticeRenderer {
  return {
    notice: buildNoticeMessage,
    reminder: buildReminder,
    summary: buildSummary,
    finalReport: buildFinalReport,
  };
}
