// The modal the summary's "Move date" button opens: the notice it moves, and a date picker that
// starts on the current date. Its private_metadata names the notice (ManageButton's codec); the
// submission is checked again on the server, as the button was.
import type { ModalView } from '@slack/types';
import type { Notice } from '../../src/notices/model.js';
import { context } from '../elements.js';
import { code } from '../text.js';
import { ManageButton } from './button-value.js';
import { MOVE_MODAL } from './ids.js';
import { KIND_TITLES } from './words.js';

export function buildMoveModal(notice: Pick<Notice, 'id' | 'kind' | 'featureGroup' | 'effectiveDate'>): ModalView {
  return {
    type: 'modal',
    callback_id: MOVE_MODAL.callbackId,
    private_metadata: ManageButton.encode({ n: notice.id }),
    // Titles are at most 24 characters.
    title: { type: 'plain_text', text: 'Move the date' },
    submit: { type: 'plain_text', text: 'Move' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      context(`${KIND_TITLES[notice.kind]} of feature group ${code(notice.featureGroup)}, now effective ${code(notice.effectiveDate)} (UTC).`, MOVE_MODAL.subjectBlock),
      {
        type: 'input',
        block_id: MOVE_MODAL.dateBlock,
        label: { type: 'plain_text', text: 'New effective date (UTC)' },
        element: { type: 'datepicker', action_id: MOVE_MODAL.dateAction, initial_date: notice.effectiveDate },
        hint: { type: 'plain_text', text: 'Every owner who got the notice is told once. Reminders and the final report follow the new date.' },
      },
    ],
  };
}
