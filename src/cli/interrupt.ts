import { ImportError } from '../errors.js';

// Ctrl-C and SIGTERM abort the running step through an AbortSignal: the import finishes or
// rolls back its batch and records the run as interrupted. A second signal exits at once, and
// so does the first after a grace period: a database or service that does not answer must not
// keep a stopped process alive (the run then stays unfinished, and the same command resumes it).

/** How long the step has to wind down after the first signal. */
export const INTERRUPT_GRACE_MS = 5000;

let controller: AbortController | undefined;
let giveUp: ((error: ImportError) => void) | undefined;
const gaveUp = new Promise<never>((_, reject) => {
  giveUp = reject;
});
gaveUp.catch(() => undefined);

export function interruptSignal(): AbortSignal {
  if (!controller) {
    const current = new AbortController();
    controller = current;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (current.signal.aborted) process.exit(130);
      // Only a person at a terminal presses Ctrl-C; a SIGTERM comes from a supervisor or kill.
      process.stderr.write(signal === 'SIGINT' ? '\ninterrupting… (press Ctrl-C again to quit at once)\n' : '\ninterrupting (SIGTERM)…\n');
      current.abort();
      const timer = setTimeout(() => giveUp?.(stillBusy()), INTERRUPT_GRACE_MS);
      timer.unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return controller.signal;
}

/**
 * Rejects (INTERRUPTED) once a step has not wound down within the grace period of an interrupt;
 * never settles otherwise. The CLI races the command against it and exits, which drops every
 * connection still waiting.
 */
export function interruptGivenUp(): Promise<never> {
  return gaveUp;
}

function stillBusy(): ImportError {
  return new ImportError('INTERRUPTED', `interrupted, and still not stopped ${INTERRUPT_GRACE_MS / 1000} s later (the database or another service is not answering): quit without recording the run`, {
    hint: 'the batches committed before stay; once the service answers, the same command resumes the import',
    next: { step: 'import' },
  });
}
