/** The transaction that last queued for each database, by file (or handed-in instance). */
const tails = new Map<unknown, Promise<void>>();

/**
 * Runs `work` once every earlier call with the same key has finished. Another process waits
 * for SQLite's write lock in busy_timeout, but two connections of this process must not: the
 * second one's BEGIN IMMEDIATE would block the very thread the first needs to commit.
 */
export async function oneWriterAtATime<T>(key: unknown, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let done!: () => void;
  const tail = previous.then(() => new Promise<void>((resolve) => (done = resolve)));
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    done();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
