// What a name search accepts, in one place: the search question refuses anything else, and a
// "try searching" hint offers only text that search would then take.

export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_MAX_LENGTH = 200;

/** The text trimmed, or undefined when search would refuse it. */
export function searchable(text: string): string | undefined {
  const needle = text.trim();
  return needle.length >= SEARCH_MIN_LENGTH && needle.length <= SEARCH_MAX_LENGTH ? needle : undefined;
}
