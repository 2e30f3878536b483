// What every notice button carries — the notice and whose message it is — and its one codec: the
// builders encode with it, the listeners decode with it, so the two cannot drift apart.
import { z } from 'zod';

const NoticeButtonFields = z.object({
  /** The notice's id. */
  n: z.uuid(),
  /** The recipient's key: "user:U…" (a DM) or "channel:C…" (a team channel). */
  r: z.string().regex(/^(user|channel):[A-Z0-9]{2,}$/),
});
export type NoticeButtonValue = z.infer<typeof NoticeButtonFields>;

/** The button's `value` (JSON text) ⇄ the fields. Decoding checks both the JSON and the fields. */
export const NoticeButton = z.codec(z.string(), NoticeButtonFields, {
  decode: (text, ctx) => {
    try {
      // The output schema checks what JSON.parse produced before anyone sees it.
      return JSON.parse(text) as NoticeButtonValue;
    } catch {
      ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: 'not JSON' });
      return z.NEVER;
    }
  },
  encode: (value) => JSON.stringify(value),
});

export function encodeNoticeButton(value: NoticeButtonValue): string {
  return NoticeButton.encode(value);
}

/** The fields, or undefined for a value this version of the bot did not make (or that was tampered with). */
export function decodeNoticeButton(text: string | undefined): NoticeButtonValue | undefined {
  if (text === undefined) return undefined;
  const decoded = NoticeButton.safeDecode(text);
  return decoded.success ? decoded.data : undefined;
}
