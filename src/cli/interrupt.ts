// Ctrl-C and SIGTERM abort the running step through an AbortSignal: the import finishes or
// rolls back its batch and records the run as interrupted. A second signal exits at once.
let controller: AbortController | undefined;

export function interruptSignal(): AbortSignal {
  if (!controller) {
    const current = new AbortController();
    controller = current;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (current.signal.aborted) process.exit(130);
      // Only a person at a terminal presses Ctrl-C; a SIGTERM comes from a supervisor or kill.
      process.stderr.write(signal === 'SIGINT' ? '\ninterrupting… (press Ctrl-C again to quit at once)\n' : '\ninterrupting (SIGTERM)…\n');
      current.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return controller.signal;
}
