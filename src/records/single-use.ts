// RecordSource.records reads a stream, so it can be iterated once; a second loop would
// silently see zero rows, which is worth failing loudly over.

import { ImportError } from '../errors.js';

export function singleUse<T>(iterator: AsyncIterator<T>): AsyncIterable<T> {
  return once(iterator, { used: false });
}

/**
 * The same stream of records one at a time and a batch at a time (RecordSource.batches):
 * either can be iterated, once, and not both.
 */
export function singleUseEither<T>(records: AsyncIterator<T>, batches: AsyncIterator<T[]>): { records: AsyncIterable<T>; batches: AsyncIterable<T[]> } {
  const state = { used: false };
  return { records: once(records, state), batches: once(batches, state) };
}

function once<T>(iterator: AsyncIterator<T>, state: { used: boolean }): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      if (state.used) throw new ImportError('INTERNAL', 'records were iterated twice; read the file again');
      state.used = true;
      return iterator;
    },
  };
}
