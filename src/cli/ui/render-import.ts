import type { ImportResult } from '../../types.js';
import type { Output } from './output.js';
import { safeText } from './safe-text.js';

export function renderImport(output: Output, result: ImportResult): void {
  const style = output.resultStyle;
  const title = result.dryRun ? style.yellow('Dry run — nothing was committed.') : style.green('Import complete.');
  output.print(title);
  if (result.alreadyImported) output.print(style.dim(`  this file was already imported by ${result.importId}; nothing more to do`));
  if (result.resumedFrom !== undefined) output.print(style.dim(`  resumed an interrupted import after row ${result.resumedFrom}`));
  output.print(`  imported   ${result.imported}`);
  output.print(`  updated    ${result.updated}`);
  output.print(`  skipped    ${result.skipped}  (invalid ${result.invalid}, duplicates ${result.duplicates}, excluded ${result.excluded})`);
  for (const error of result.errors.slice(0, 10)) output.print(style.dim(`  row ${error.row}: ${safeText(error.message, 160)}`));
  if (result.errors.length > 10) output.print(style.dim(`  … ${result.invalid + result.duplicates - 10} more rejected rows`));
  if (result.blankedValues) {
    output.print(`  blanked    ${result.blankedValues}  (bad optional values left out of imported contacts)`);
    for (const b of (result.blanked ?? []).slice(0, 10)) output.print(style.dim(`  row ${b.row}: ${safeText(b.message, 160)}`));
  }
  for (const warning of (result.warnings ?? []).slice(0, 10)) output.warn(safeText(warning, 200));
  if (result.errorReport) output.print(`rejected rows written to ${result.errorReport}`);
  if (result.importedReport) output.print(`imported rows written to ${result.importedReport}`);
  output.print(style.dim(`import id: ${result.importId}`));
}
