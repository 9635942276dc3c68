import type { AnalysisSummary } from '../../types.js';
import type { Output } from './output.js';
import { safeText } from './safe-text.js';
import { renderTable } from './table.js';

/** `headerRowGiven`: the header row was chosen by flag, so a hint to choose it is noise. */
export function renderAnalysis(output: Output, summary: AnalysisSummary, headerRowGiven = false): void {
  const style = output.resultStyle;
  const format = [summary.format.type.toUpperCase(), summary.format.encoding];
  if (summary.format.delimiter) format.push(`delimiter ${JSON.stringify(summary.format.delimiter)}`);
  if (summary.format.sheet) format.push(`sheet "${safeText(summary.format.sheet)}"`);
  if (summary.format.headerRow) format.push(`header on ${summary.format.type === 'csv' ? 'line' : 'row'} ${summary.format.headerRow}`);
  output.print(`${style.bold(safeText(summary.fileName))}  (${format.join(', ')})`);
  output.print(
    `${summary.totalRows} rows: ${style.green(`${summary.validRows} valid`)}, ` +
      `${summary.invalidRows > 0 ? style.red(`${summary.invalidRows} invalid`) : '0 invalid'}, ` +
      `${summary.duplicateRows} duplicate emails (under the suggested mapping)`,
  );
  for (const warning of summary.warnings ?? []) {
    output.warn(safeText(headerRowGiven ? warning.replace(/;\s*(pass --header-row|set headerRow)[^;]*$/, '') : warning));
  }
  const rows = summary.columns.map((column) => {
    const stats = summary.columnSummary[column];
    return [
      column,
      summary.suggestedMapping[column] ?? '—',
      stats.type ?? '',
      stats.filled,
      stats.empty,
      `${stats.uniqueEstimated ? '~' : ''}${stats.unique}`,
      stats.samples.slice(0, 3).map((s) => safeText(s, 20)).join(' | '),
    ];
  });
  output.print(renderTable(['Column', 'Suggested field', 'Type', 'Filled', 'Empty', 'Unique', 'Samples'], rows, 60));
  output.print(`fileId: ${summary.fileId}`);
  output.info(output.style.dim(`next: contact-import map --file-id ${summary.fileId}`));
}
