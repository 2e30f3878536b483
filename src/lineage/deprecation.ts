// How a feature group marked deprecated in SageMaker reads: the tags write-back puts on it
// (src/notices/write-back.ts, NOTICE_WRITE_BACK) and the answers about the group read back, so
// anyone asking about it learns it is deprecated and what replaces it — whichever replica, or
// person, marked it.

/** The tags of a marked group (AWS tag keys: letters, digits, spaces and _ . : / = + - @). */
export const DEPRECATION_TAGS = {
  deprecated: 'lineage-bot:deprecated',
  date: 'lineage-bot:deprecated-on',
  replacement: 'lineage-bot:replacement',
  notice: 'lineage-bot:notice',
} as const;

/** A marked group's deprecation: since when (YYYY-MM-DD as tagged) and what replaces it. */
export interface Deprecation {
  on?: string;
  replacement?: string;
}

/** The deprecation the group's tags say, or undefined when it is not marked. */
export function deprecationFromTags(tags: Readonly<Record<string, string>>): Deprecation | undefined {
  if (tags[DEPRECATION_TAGS.deprecated]?.toLowerCase() !== 'true') return undefined;
  const on = tags[DEPRECATION_TAGS.date]?.trim();
  const replacement = tags[DEPRECATION_TAGS.replacement]?.trim();
  return { ...(on ? { on } : {}), ...(replacement ? { replacement } : {}) };
}
