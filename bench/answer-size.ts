// How big an answer is, whatever the question: the distinct names in it (every `name` field at any
// depth), so the scale section can ask each question about subjects whose answers are the same
// size on both accounts and tell a cost that follows the answer from one that follows the account.

export function answerSize(answer: unknown): number {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, field] of Object.entries(value)) {
        if (key === 'name' && typeof field === 'string') names.add(field);
        else visit(field);
      }
    }
  };
  visit(answer);
  return names.size;
}
