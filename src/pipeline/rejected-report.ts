import fs from 'node:fs';
import path from 'node:path';
import { ImportError } from '../errors.js';
import type { Context } from './context.js';

const IMPORT_ID = /^import_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The rejected-rows CSV an import wrote by default (`<home>/results/<importId>.rejected.csv`,
 * as ImportResults names it); NOT_FOUND when the import rejected nothing or is unknown here.
 */
export function rejectedReport(ctx: Context, importId: string): string {
  const file = IMPORT_ID.test(importId) ? path.join(ctx.config.home, 'results', `${importId}.rejected.csv`) : undefined;
  if (!file || !fs.existsSync(file)) {
    throw new ImportError('NOT_FOUND', `no rejected-rows report for ${importId}`, {
      hint: 'an import writes one only when it rejects a row',
      next: { step: 'history' },
    });
  }
  return file;
}
