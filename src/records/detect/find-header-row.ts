// Reports and CRM exports often put a title block above the table: "Contacts export",
// "Generated 2024-01-01", a blank line, then the header. Taking the title as the header would
// make every column unmappable, so the header is looked for in the first rows of the file.
//
// A row is taken as part of such a preamble when it fills far fewer cells than the rows after
// it usually do: at most one cell, or fewer than half as many. Counting filled cells rather
// than fields copes with Excel writing `Title,,,,` for a title cell, and "usually" (the most
// common count below) with optional columns that are often empty. The header itself names
// most of its columns, so it never looks like that; a file whose header names one column out
// of many is the one it would misread, which is why analyze says what it skipped and
// `headerRow` overrides it.

/** Rows looked at: enough to see the table's shape, cheap to scan. */
export const HEADER_SEARCH_ROWS = 30;
/** A longer preamble than this is not a preamble. */
const MAX_PREAMBLE_ROWS = 10;

/**
 * Index, among the first non-blank `rows` of a file (in order), of the one that is the header.
 * 0 unless the first rows look like a title block.
 */
export function findHeaderRow(rows: ReadonlyArray<readonly string[]>): number {
  const filled = rows
    .slice(0, HEADER_SEARCH_ROWS)
    .map((fields) => fields.reduce((n, field) => (field.trim() === '' ? n : n + 1), 0));
  for (let i = 0; i < filled.length - 1; i++) {
    // So many title-like rows are not a title block: leave the file as it is.
    if (i === MAX_PREAMBLE_ROWS) return 0;
    const usual = mostCommon(filled.slice(i + 1));
    const cells = filled[i]!;
    const looksLikeTitle = usual >= 2 && cells < usual && (cells <= 1 || cells * 2 < usual);
    if (!looksLikeTitle) return i;
  }
  // Every row before the last looked like a title (a header with no data rows yet).
  return Math.max(0, filled.length - 1);
}

/** The most frequent value; ties go to the larger, as the table is the full part. */
function mostCommon(values: readonly number[]): number {
  const frequency = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const value of values) {
    const count = (frequency.get(value) ?? 0) + 1;
    frequency.set(value, count);
    if (count > bestCount || (count === bestCount && value > best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
