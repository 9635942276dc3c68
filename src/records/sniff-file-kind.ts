import type { Readable } from 'node:stream';
import type { FileKind } from '../types.js';
import { ByteSource } from './byte-source.js';
import { detectFileKind, MAGIC_HEAD_BYTES } from './detect-file-kind.js';

/**
 * Reads the head of `input` and tells what the bytes are (never trusting a name or a MIME
 * type). The returned stream still yields every byte, head included; on refusal the input is
 * released.
 */
export async function sniffFileKind(input: Readable, fileName: string, encoding?: string): Promise<{ kind: FileKind; stream: Readable }> {
  const bytes = new ByteSource(input, fileName);
  try {
    const kind = detectFileKind((await bytes.head(MAGIC_HEAD_BYTES)).head, fileName, encoding);
    return { kind, stream: bytes.stream() };
  } catch (error) {
    bytes.close();
    throw error;
  }
}
