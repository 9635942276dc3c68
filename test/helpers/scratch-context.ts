import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openContext, type Context } from '../../src/index.js';

/**
 * A fresh scratch folder and a library Context whose home is inside it, for each test (no
 * environment: embedded defaults). `onOpen` receives both before every test; both are gone after it.
 */
export function useScratchContext(prefix: string, onOpen: (scratch: { dir: string; ctx: Context }) => void): void {
  let current: { dir: string; ctx: Context } | undefined;
  beforeEach(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    current = { dir, ctx: openContext({ home: path.join(dir, 'home'), env: {} }) };
    onOpen(current);
  });
  afterEach(async () => {
    if (!current) return;
    await current.ctx.close();
    fs.rmSync(current.dir, { recursive: true, force: true });
    current = undefined;
  });
}
