// SageMaker's JSON 1.1 protocol sends timestamps as epoch seconds. Records held in memory carry
// Dates (from the SDK or from parsing a snapshot); this puts them back into wire form, which is
// also the form a snapshot file is written in.

/** A deep copy with every Date as epoch seconds and undefined members left out. */
export function toWireJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, toWireJson(member)]),
    );
  }
  return value;
}
