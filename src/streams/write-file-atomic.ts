import * as fsp from 'node:fs/promises';
import { openPrivateTemp, type PrivateTemp } from './private-files.js';

/**
 * Writes a file so that readers see the old content or the new, never half of it. The new
 * file is private (0600) and its temporary file is created exclusively (see openPrivateTemp).
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  let temp: PrivateTemp | undefined;
  try {
    temp = await openPrivateTemp(file);
    await temp.handle.writeFile(content, 'utf8');
    await temp.handle.close();
    await fsp.rename(temp.path, file);
  } catch (error) {
    if (temp) {
      await temp.handle.close().catch(() => undefined);
      await fsp.rm(temp.path, { force: true });
    }
    throw error;
  }
}
