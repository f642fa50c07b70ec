/** Runs `work` over indices 0..count-1 with at most `concurrency` in flight; stops starting new ones when `signal` aborts. */
export async function runPool(count: number, concurrency: number, work: (i: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < count && failure === undefined && !signal?.aborted) {
      const i = next++;
      try {
        await work(i);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  if (failure !== undefined) throw failure;
}
