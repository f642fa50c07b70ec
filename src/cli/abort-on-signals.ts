/**
 * Ctrl-C (SIGINT) and SIGTERM turned into an abort, for the commands that change the person's
 * image (run, verify-pact): the first signal says on stderr that the image is being restored and
 * aborts; the command stops, restores, writes its reports and exits 130.
 */
export interface SignalAbort {
  signal: AbortSignal;
  /** Stops listening for the signals (the default handling is back). */
  release(): void;
}

export function abortOnSignals(): SignalAbort {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\n${signal}: stopping; the person's image is being restored…\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
