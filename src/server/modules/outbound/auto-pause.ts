/**
 * The failure window behind automatic pauses: the outcomes of the last `size` attempts of one campaign (or
 * one kind of message), counting transient failures. Once at least `minimum` attempts are in and the share
 * of failures reaches the threshold, `record` says so and the window starts over; the caller pauses, with
 * its audit row, in one transaction (DESIGN invariant 2).
 */
export interface FailureWindows {
  record(
    key: string,
    outcomes: readonly boolean[],
    threshold: number,
  ): { failures: number; attempts: number } | null;
}

export function createFailureWindows(size = 200, minimum = 50): FailureWindows {
  const windows = new Map<string, boolean[]>();
  return {
    record(key, outcomes, threshold) {
      const window = windows.get(key) ?? [];
      window.push(...outcomes);
      if (window.length > size) window.splice(0, window.length - size);
      windows.set(key, window);
      const failures = window.filter(Boolean).length;
      if (window.length < minimum || failures / window.length < threshold) return null;
      windows.set(key, []);
      return { failures, attempts: window.length };
    },
  };
}
