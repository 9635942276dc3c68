/**
 * Column widths (content, without padding) that fit `total` terminal columns: the widest
 * columns give way first, none below `min`. A table of n columns spends 3n + 1 columns on
 * borders and padding.
 */
export function fitWidths(natural: number[], total: number, min = 4): number[] {
  const widths = [...natural];
  const budget = total - (3 * widths.length + 1);
  let used = widths.reduce((sum, w) => sum + w, 0);
  while (used > budget) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i] > widths[widest]) widest = i;
    if (widths[widest] <= min) break;
    widths[widest]--;
    used--;
  }
  return widths;
}
