import Table from 'cli-table3';
import { safeText } from './safe-text.js';

/** A plain table for stderr; every cell is made terminal-safe and cut to a readable width. */
export function renderTable(head: string[], rows: Array<Array<string | number>>, maxCell = 40): string {
  const table = new Table({
    head: head.map((h) => safeText(h, maxCell)),
    style: { head: [], border: [] },
    wordWrap: false,
  });
  for (const row of rows) table.push(row.map((cell) => (typeof cell === 'number' ? String(cell) : safeText(cell, maxCell))));
  return table.toString();
}
