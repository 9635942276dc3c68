// CSV is not one format: US Excel writes `,`, European Excel writes `;` (because `,` is the
// decimal mark there), "Text (Tab delimited)" writes TAB, and some systems use `|`. The
// delimiter is the candidate that splits the first records into a steady number of fields.

import { ImportError } from '../../errors.js';

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/** How many records (not counting blank lines) the sniffer looks at. */
const SNIFF_RECORDS = 20;

const NAMED_DELIMITERS: Record<string, string> = {
  tab: '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
};

/** Validates a delimiter the user asked for; 'tab' or '\t' mean TAB. */
export function normalizeDelimiter(delimiter: string, fileName: string): string {
  const value = NAMED_DELIMITERS[delimiter.toLowerCase()] ?? delimiter;
  if ([...value].length !== 1 || value === '"' || value === '\r' || value === '\n') {
    throw new ImportError('USAGE', `invalid delimiter ${JSON.stringify(delimiter)}`, {
      file: fileName,
      hint: 'set delimiter to one character such as "," ";" "|" or "tab", or leave it out to detect it',
      options: ['delimiter'],
    });
  }
  return value;
}

/** Excel's `sep=;` first line names the delimiter and is not part of the data. */
export function parseSepLine(text: string): string | undefined {
  const match = /^"?sep=(.)"?[ \t]*(?:\r\n|\n|\r|$)/i.exec(text);
  const delimiter = match?.[1];
  return delimiter === undefined || delimiter === '"' ? undefined : delimiter;
}

/**
 * Counts `delimiter` per record outside quoted fields, the way the parser will split them
 * (a quote opens a quoted field only at the start of a field, after any spaces). Blank records are skipped;
 * the last record is dropped unless `complete`, as the sample may cut it short.
 */
export function countPerRecord(text: string, delimiter: string, complete: boolean): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  let fieldStart = true;
  let hasContent = false;
  for (let i = 0; i < text.length && counts.length < SNIFF_RECORDS; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (hasContent) counts.push(count);
      count = 0;
      fieldStart = true;
      hasContent = false;
      continue;
    }
    if (ch === delimiter) {
      count++;
      fieldStart = true;
      continue;
    }
    // The parser drops spaces before a value (ltrim), so a quote after them opens a field.
    if (fieldStart && (ch === ' ' || ch === '\t')) continue;
    if (ch === '"' && fieldStart) quoted = true;
    fieldStart = false;
    if (ch !== ' ' && ch !== '\t') hasContent = true;
  }
  if (complete && hasContent && !quoted && counts.length < SNIFF_RECORDS) counts.push(count);
  return counts;
}

interface Score {
  delimiter: string;
  /** Share of records with the most common non-zero count. */
  consistency: number;
  /** That count: fields per record minus one. */
  mode: number;
}

function score(delimiter: string, counts: number[]): Score | undefined {
  const frequency = new Map<number, number>();
  for (const count of counts) {
    if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  }
  let mode = 0;
  let modeFrequency = 0;
  for (const [count, times] of frequency) {
    if (times > modeFrequency || (times === modeFrequency && count > mode)) {
      mode = count;
      modeFrequency = times;
    }
  }
  if (mode === 0) return undefined;
  return { delimiter, consistency: modeFrequency / counts.length, mode };
}

/**
 * Picks the delimiter from decoded text at the start of the file (after any `sep=` line).
 * The most consistent candidate wins, then the one giving more fields, then the earlier in
 * `, ; TAB |`. With `3,5` decimals in a `;` file, `,` is missing from the header and varies
 * between rows, so `;` wins. Defaults to `,` (a single-column file has no delimiter at all).
 */
export function sniffDelimiter(text: string, complete: boolean): string {
  let best: Score | undefined;
  for (const delimiter of DELIMITER_CANDIDATES) {
    let counts = countPerRecord(text, delimiter, complete);
    // One record longer than the sample: its beginning is still worth counting.
    if (counts.length === 0 && !complete) counts = countPerRecord(text, delimiter, true);
    const candidate = score(delimiter, counts);
    if (candidate === undefined) continue;
    if (
      best === undefined ||
      candidate.consistency > best.consistency ||
      (candidate.consistency === best.consistency && candidate.mode > best.mode)
    ) {
      best = candidate;
    }
  }
  return best?.delimiter ?? ',';
}
