// What every notice button carries — the notice and whose message it is — and its one codec: the
// builders encode with it, the listeners decode with it, so the two cannot drift apart.
import { z } from 'zod';
import { jsonCodec } from '../json-codec.js';

const NoticeButtonFields = z.object({
  /** The notice's id. */
  n: z.uuid(),
  /** The recipient's key: "user:U…" (a DM) or "channel:C…" (a team channel). */
  r: z.string().regex(/^(user|channel):[A-Z0-9]{2,}$/),
});
export type NoticeButtonValue = z.infer<typeof NoticeButtonFields>;

/** The button's `value` (JSON text) ⇄ the fields. Decoding checks both the JSON and the fields. */
export const NoticeButton = jsonCodec(NoticeButtonFields);

export const encodeNoticeButton = NoticeButton.encode;
export const decodeNoticeButton = NoticeButton.decode;

/** The summary's Move date / Cancel notice buttons, and the move modal's private_metadata: the notice only. */
const ManageFields = z.object({ n: z.uuid() });
export type ManageValue = z.infer<typeof ManageFields>;
export const ManageButton = jsonCodec(ManageFields);
