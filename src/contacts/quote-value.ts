const MAX_QUOTED = 40;

/**
 * Quotes a cell value for an error message: JSON-escaped so a newline or quote in the cell
 * cannot break the one-line message, and cut to at most 40 characters, ending in an ellipsis.
 */
export function quoteValue(value: string): string {
  if (value.length <= MAX_QUOTED) return JSON.stringify(value);
  // Count code points, not UTF-16 units, so an emoji is never split into a lone surrogate.
  const head: string[] = [];
  for (const ch of value) {
    if (head.length === MAX_QUOTED) return JSON.stringify(`${head.slice(0, -1).join('')}…`);
    head.push(ch);
  }
  return JSON.stringify(value);
}
