import Table from 'cli-table3';
import { safeText } from './safe-text.js';

/**
 * A compact table for stderr (no rules between rows); every cell is made terminal-safe and cut
 * to `maxCell` characters, except the columns listed in `fullWidth`.
 */
/** A cell the caller has already made safe and coloured: passed through untouched. */
export interface StyledCell {
  styled: string;
}

export function styled(text: string): StyledCell {
  return { styled: text };
}

export function renderTable(
  head: string[],
  rows: Array<Array<string | number | StyledCell>>,
  maxCell = 40,
  fullWidth: ReadonlySet<number> = new Set(),
): string {
  const table = new Table({
    head: head.map((h) => safeText(h, maxCell)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    wordWrap: false,
  });
  for (const row of rows) {
    table.push(
      row.map((cell, i) => {
        if (typeof cell === 'number') return String(cell);
        if (typeof cell === 'object') return cell.styled;
        return safeText(cell, fullWidth.has(i) ? 400 : maxCell);
      }),
    );
  }
  return table.toString();
}
