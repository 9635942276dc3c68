import { SYSTEM_FIELDS } from '../../contacts/fields.js';
import type { MapResult } from '../../types.js';
import type { Output } from './output.js';
import { renderTable, styled } from './table.js';

export function renderMapping(output: Output, result: MapResult, columns: string[]): void {
  const labels = new Map<string, string>([...SYSTEM_FIELDS.map((f): [string, string] => [f.key, f.label]), ['fullName', 'split into First and Last Name']]);
  const rows = columns.map((column) => {
    const field = result.mapping[column];
    return [column, field ? `${field} (${labels.get(field)})` : styled(output.resultStyle.dim('not imported'))];
  });
  output.print(renderTable(['Column', 'Field'], rows, 50));
  const sample = result.validRows + result.invalidRows;
  output.print(`${result.validRows} of ${sample} sample rows are valid under this mapping.`);
}
