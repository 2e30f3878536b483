// A form's checks are cut short so that Slack, which waits 3 s for a view submission's answer,
// is still answered: the deprecate form and the move-date form share the budget.

/** The checks of a submission, cut short so that Slack is still answered within its 3 seconds. */
export const CHECK_BUDGET_MS = 2000;

export class ChecksTooSlow extends Error {
  readonly code = 'ChecksTooSlow';
}

/** `work`, or ChecksTooSlow once `ms` have passed (the work goes on, but nothing waits for it). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChecksTooSlow(String(ms))), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
