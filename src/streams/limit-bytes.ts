import { Readable } from 'node:stream';

/**
 * The same bytes, counted, failing with `onExceeded()`'s error once more than `maxBytes` have
 * gone by, so an oversized upload stops early and is never stored. Lazy: nothing is read until
 * the consumer pulls, so the error reaches the consumer's pipeline and never goes unhandled.
 */
export function limitBytes(
  source: AsyncIterable<Buffer | string>,
  maxBytes: number,
  onExceeded: () => Error,
  /** Sees every chunk that goes by (to hash it, say). */
  onChunk?: (chunk: Buffer) => void,
): Readable {
  async function* counted(): AsyncGenerator<Buffer> {
    let bytes = 0;
    for await (const chunk of source) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += buffer.length;
      if (bytes > maxBytes) throw onExceeded();
      onChunk?.(buffer);
      yield buffer;
    }
  }
  return Readable.from(counted(), { objectMode: false });
}
