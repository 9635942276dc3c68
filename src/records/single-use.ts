// RecordSource.records reads a stream, so it can be iterated once; a second loop would
// silently see zero rows, which is worth failing loudly over.

import { ImportError } from '../errors.js';

export function singleUse<T>(iterator: AsyncIterator<T>): AsyncIterable<T> {
  let used = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      if (used) throw new ImportError('INTERNAL', 'records were iterated twice; read the file again');
      used = true;
      return iterator;
    },
  };
}
