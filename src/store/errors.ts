// Errors the store raises on purpose, with stable codes; the notice service turns them into the
// domain's own errors (src/notices/errors.ts).
import type { NoticeRecord } from './types.js';

/**
 * A person announced a change of this kind to this feature group while another such notice is
 * open: the schema allows one (notices.open_key is unique), whichever submission got in first.
 */
export class NoticeAlreadyOpen extends Error {
  readonly code = 'NoticeAlreadyOpen';
  constructor(readonly existing: NoticeRecord) {
    super(`A ${existing.kind} notice about feature group ${existing.featureGroup} is already open (${existing.id})`);
  }
}

/** The key of the one open notice a person may have per feature group and kind. */
export function openKey(notice: { featureGroup: string; kind: string; announcer: { type: string } }): string | null {
  return notice.announcer.type === 'user' ? `${notice.kind}:${notice.featureGroup}` : null;
}
