import Table from 'cli-table3';
import type { PreviewOutcome } from '../../pipeline/preview.js';
import type { PreviewRow } from '../../types.js';
import { fitWidths } from './fit-widths.js';
import type { Output } from './output.js';
import { safeText } from './safe-text.js';

export interface PreviewLayout {
  /** Fields to show, in this order (default: every mapped field). */
  fields: string[];
  /** One record per block, `field | value` lines, as psql's \x. */
  vertical?: boolean;
}

/** A page of preview rows on stdout, fitted to the terminal's width; the page line on stderr. */
export function renderPreview(output: Output, result: PreviewOutcome, layout: PreviewLayout): void {
  if (result.mappingSource === 'suggested') {
    output.warn('no mapping saved yet; showing the suggested mapping (save one with contact-import map)');
  }
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  if (result.rows.length === 0) {
    output.info(`No rows on page ${result.page} of ${pages} (${result.total} rows).`);
    return;
  }
  const head = ['Row', 'Status', ...layout.fields, 'Problems'];
  const cells = result.rows.map((row) => [String(row._rowIndex), statusOf(row), ...layout.fields.map((f) => safeText(String(row[f] ?? ''))), safeText(row._errors.join('; '))]);
  if (layout.vertical) renderVertical(output, head, cells);
  else renderFitted(output, head, cells);
  const more = result.page < pages ? ` · next: --page ${result.page + 1}` : '';
  output.info(`page ${result.page} of ${pages} · ${result.total} rows${more}`);
}

function statusOf(row: PreviewRow): string {
  if (!row._isValid) return 'invalid';
  return row._duplicateOf ? `dup of ${row._duplicateOf}` : 'ok';
}

function renderFitted(output: Output, head: string[], cells: string[][]): void {
  const natural = head.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((row) => row[i].length))));
  // In a pipe there is no width to fit: keep the natural widths (each still at most 60).
  const widths = output.width ? fitWidths(natural, output.width) : natural;
  const style = output.resultStyle;
  const table = new Table({
    head: head.map((h, i) => cut(h, widths[i])),
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colWidths: widths.map((w) => w + 2),
    wordWrap: false,
  });
  for (const row of cells) {
    table.push(
      row.map((cell, i) => {
        const text = cut(cell, widths[i]);
        if (i !== 1) return text;
        return cell === 'ok' ? style.green(text) : cell === 'invalid' ? style.red(text) : style.yellow(text);
      }),
    );
  }
  output.print(table.toString());
}

function renderVertical(output: Output, head: string[], cells: string[][]): void {
  const label = Math.max(...head.map((h) => h.length));
  const value = output.width ? Math.max(10, output.width - label - 3) : Infinity;
  cells.forEach((row, n) => {
    output.print(output.resultStyle.dim(`-[ RECORD ${n + 1} ]${'-'.repeat(Math.max(0, Math.min(label + 3 + 20, (output.width ?? 40) - 14)))}`));
    for (const [i, h] of head.entries()) output.print(`${h.padEnd(label)} | ${cut(row[i], value)}`);
  });
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text;
}
