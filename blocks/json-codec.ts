// The one way a value that travels through Slack as JSON text (a button's value, a modal's
// private_metadata) is written and read back: a zod codec between the text and its fields, so
// the builder that writes it and the listener that reads it cannot drift apart.
import { z } from 'zod';

export interface JsonCodec<T> {
  /** The text ⇄ the fields, for callers that want zod's own results. */
  readonly codec: z.ZodType<T, string>;
  /** The text; throws for fields that do not pass the schema (the builder's bug). */
  encode(value: T): string;
  /** The text, or undefined for fields that do not pass the schema (an input too long for a button, say). */
  tryEncode(value: T): string | undefined;
  /** The fields, or undefined for text this version of the bot did not write (or that was tampered with). */
  decode(text: string | undefined): T | undefined;
}

export function jsonCodec<Fields extends z.ZodType>(fields: Fields): JsonCodec<z.output<Fields>> {
  const codec = z.codec(z.string(), fields, {
    decode: (text, ctx) => {
      try {
        // The output schema checks what JSON.parse produced before anyone sees it.
        return JSON.parse(text) as z.input<Fields>;
      } catch {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: text, message: 'not JSON' });
        return z.NEVER;
      }
    },
    encode: (value) => JSON.stringify(value),
  });
  return {
    codec: codec as unknown as z.ZodType<z.output<Fields>, string>,
    encode: (value) => codec.encode(value) as string,
    tryEncode: (value) => {
      const encoded = codec.safeEncode(value);
      return encoded.success ? encoded.data : undefined;
    },
    decode: (text) => {
      if (text === undefined) return undefined;
      const decoded = codec.safeDecode(text);
      return decoded.success ? decoded.data : undefined;
    },
  };
}
