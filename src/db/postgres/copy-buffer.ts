/**
 * COPY input gathered as UTF-8 bytes, one line at a time. Encoding each short line into one
 * growing buffer is about three times cheaper than concatenating a batch's lines into one
 * string and encoding that: V8 keeps such a string as a tree of thousands of pieces, which
 * Buffer.from must first flatten.
 */
export class CopyBuffer {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  append(text: string): void {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    const most = text.length * 3;
    if (this.length + most > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + most));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** The bytes appended so far (a view: appending more may overwrite it). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
