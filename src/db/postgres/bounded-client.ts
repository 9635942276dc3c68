import pg from 'pg';

/** What a statement (and the connection) fails with when the server does not answer in time. */
export class NoAnswerError extends Error {
  readonly code = 'NO_ANSWER';

  constructor(readonly waitedMs: number) {
    super(`no answer from the server within ${waitedMs / 1000} s`);
  }
}

/** How long past its statement_timeout a statement may go unanswered: long enough for the server's own cancel to arrive. */
export function noAnswerMs(statementTimeoutMs: number): number {
  return statementTimeoutMs + Math.min(statementTimeoutMs, 5000);
}

interface Submittable {
  submit: unknown;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * A pg.Client whose every statement (COPY streams too) ends in bounded time. The server's
 * statement_timeout cancels a slow statement; a server that does not answer at all (hung,
 * cut off by the network) cannot, so after `waitMs` the connection is dropped: the statement and
 * everything queued behind it fail at once with NoAnswerError (also emitted as the client's
 * 'error', so the engine knows the connection is gone), and the server's session ends, with
 * its locks and open transaction, as soon as it notices.
 */
export class BoundedClient extends pg.Client {
  constructor(
    config: pg.ClientConfig,
    private readonly waitMs: number,
  ) {
    super(config);
  }

  // pg's overloads cannot be restated one by one; this passes every form through unchanged.
  // Promises and submittables (COPY streams) are bounded; the engine never passes a callback.
  override query(config: any, values?: any, callback?: any): any {
    const result: unknown = super.query(config, values, callback);
    const timer = setTimeout(() => this.drop(), this.waitMs);
    timer.unref();
    const done = () => clearTimeout(timer);
    if (typeof (config as Submittable | null)?.submit === 'function') (config as Submittable).once('close', done);
    else if (result instanceof Promise) result.then(done, done);
    else done();
    return result;
  }

  private drop(): void {
    this.emit('error', new NoAnswerError(this.waitMs));
    // node-postgres's own way out of a statement that never ends (its pipeline-mode query timeout).
    this.connection.stream.destroy();
  }
}
