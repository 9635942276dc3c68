import type { PreviewOutcome } from '../../pipeline/preview.js';
import type { Output } from './output.js';
import { renderTable, styled } from './table.js';

export function renderPreview(output: Output, result: PreviewOutcome, fields: string[]): void {
  const { style } = output;
  if (result.mappingSource === 'suggested') {
    output.warn('no mapping saved yet; showing the suggested mapping (save one with contact-import map)');
  }
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  if (result.rows.length === 0) {
    output.info(`No rows on page ${result.page} of ${pages} (${result.total} rows).`);
    return;
  }
  const rows = result.rows.map((row) => [
    row._rowIndex,
    styled(row._isValid ? (row._duplicateOf ? style.yellow(`dup of ${row._duplicateOf}`) : style.green('ok')) : style.red('invalid')),
    ...fields.map((field) => String(row[field] ?? '')),
    row._errors.join('; '),
  ]);
  // The reasons are what a reader came for: never cut them.
  output.info(renderTable(['Row', 'Status', ...fields, 'Problems'], rows, 32, new Set([fields.length + 2])));
  output.info(`page ${result.page} of ${pages} · ${result.total} rows${result.rows.length < result.total ? ` · next: --page ${result.page + 1}` : ''}`);
}
