// CSV/TSV text → records. Encoding, `sep=` line, delimiter and header row are settled from the
// head of the file (or taken from an earlier analysis), then the tokenizer streams the rest.

import { pipeline, type Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { ImportError } from '../../errors.js';
import type { FileFormat } from '../file-format.js';
import type { ByteSource } from '../byte-source.js';
import { ControlCharacters } from '../control-characters.js';
import { CsvLines, type Line } from './csv-lines.js';
import { CsvSyntaxError, CsvTokenizer, type CsvRecord } from './csv-tokenizer.js';
import { checkEncoding, detectEncoding, isUtf8Encoding } from '../detect/detect-encoding.js';
import { findHeaderRow, HEADER_SEARCH_ROWS } from '../detect/find-header-row.js';
import { checkHeaderRow, headerRowMissing, SkippedRows } from '../detect/header-row.js';
import { LineList } from '../line-list.js';
import type { ReadOptions, RecordSource, SourceRecord } from '../record-source.js';
import { isBlankRow, MAX_COLUMNS, shapeRow, tooManyColumns, tooManyRows } from '../shape-row.js';
import { singleUseEither } from '../single-use.js';
import { normalizeDelimiter, parseSepLine, sniffDelimiter } from '../detect/sniff-delimiter.js';
import { uniqueHeaders } from '../unique-headers.js';
import { invalidUtf8Problem, Utf8Check } from './utf8-check.js';
import { formatRecordSize, MAX_RECORD_BYTES, maxRecordSize, recordTooLarge } from './max-record-size.js';

/** Bytes used to tell UTF-8 from windows-1252: a late `é` should still be seen. */
const ENCODING_SAMPLE_BYTES = 1024 * 1024;
/** Bytes decoded to sniff the delimiter and the header row: plenty for the first 30 records. */
const SNIFF_SAMPLE_BYTES = 64 * 1024;

/** Decides how to read the text, then reads up to the header row. */
export async function readCsvRecords(source: ByteSource, options: ReadOptions): Promise<RecordSource> {
  const file = options.fileName;
  const earlier = options.format?.type === 'csv' ? options.format : undefined;
  const encodingOption = options.encoding ?? earlier?.encoding;

  const { head, complete } = await source.head(
    encodingOption === undefined ? ENCODING_SAMPLE_BYTES : SNIFF_SAMPLE_BYTES,
  );
  if (head.length === 0) throw noHeader(file, 'is empty');

  // The kind was decided at upload (or by readRecords); only the text's encoding is left.
  const encoding =
    encodingOption === undefined ? detectEncoding(head, complete).encoding : checkEncoding(encodingOption, file);

  // iconv strips a BOM for the BOM-aware encodings, so the sniffer never sees one.
  const sample = iconv.decode(head.subarray(0, SNIFF_SAMPLE_BYTES), encoding);
  const sampleComplete = complete && head.length <= SNIFF_SAMPLE_BYTES;
  const sepDelimiter = parseSepLine(sample);
  const delimiterOption = options.delimiter ?? earlier?.delimiter;
  const delimiter =
    delimiterOption !== undefined
      ? normalizeDelimiter(delimiterOption, file)
      : (sepDelimiter ?? sniffDelimiter(sample, sampleComplete));
  const firstLine = sepDelimiter === undefined ? 1 : 2;

  // An explicit headerRow wins; an earlier analysis already decided (no headerRow there
  // means the first row); otherwise a title block above the table is looked for.
  const explicitHeaderRow = options.headerRow === undefined ? undefined : checkHeaderRow(options.headerRow, file);
  const headerLine =
    explicitHeaderRow ??
    (earlier ? earlier.headerRow : detectHeaderLine(sample, sampleComplete, delimiter, firstLine));

  const maxRecordBytes = maxRecordSize(options.maxRecordSize);
  const tooLarge = recordTooLarge(maxRecordBytes);
  const utf8 = isUtf8Encoding(encoding) ? new Utf8Check() : undefined;
  const tokenizer = new CsvTokenizer({ delimiter, fromLine: firstLine, maxRecordBytes });
  // Errors reach the last stream (pipeline destroys every stream with the first error), and
  // so the iteration below; the callback only keeps them from being reported twice.
  const ignore = (): void => {};
  const text = (
    utf8 ? pipeline(source.stream(), utf8, ignore) : pipeline(source.stream(), iconv.decodeStream(encoding), ignore)
  ) as Readable;

  const lines = new CsvLines(text, tokenizer, utf8);
  const nextLine = async (): Promise<Line | undefined> => {
    try {
      return await lines.next();
    } catch (error) {
      throw csvFailure(error, file);
    }
  };

  const skipped = new SkippedRows();
  const controls = new ControlCharacters();
  const warnings: string[] = [];
  let header: Line | undefined;
  let columns: string[];
  try {
    for (let next = await nextLine(); next !== undefined; next = await nextLine()) {
      if (headerLine !== undefined && next.line < headerLine) skipped.add(next.fields);
      else {
        header = next;
        break;
      }
    }
    if (header === undefined) {
      if (explicitHeaderRow !== undefined) throw headerRowMissing(file, explicitHeaderRow, undefined, 'line');
      throw noHeader(file, 'has no header row');
    }
    if (explicitHeaderRow !== undefined && header.line !== explicitHeaderRow) {
      throw headerRowMissing(file, explicitHeaderRow, header.line, 'line');
    }
    if (header.tooLarge) throw headerTooLarge(file, header.line, maxRecordBytes);
    if (header.fields.length > MAX_COLUMNS) {
      throw tooManyColumns(file, header.fields.length, header.line);
    }
    columns = uniqueHeaders(controls.clean(header.fields, header.line));
    const skippedWarning = skipped.warning(header.line, 'line');
    if (skippedWarning) warnings.push(skippedWarning);
    if (header.invalid) warnings.push(`the header row has ${invalidUtf8Problem(header.invalid)}`);
  } catch (error) {
    lines.close();
    throw error;
  }

  // Text decoded by iconv shows a byte the encoding has no character for as U+FFFD.
  const undecodable = utf8 === undefined ? `has bytes that are not ${encoding} text (shown as "\ufffd")` : undefined;
  const invalidLines = new LineList();
  const maxRows = options.maxRows;
  let row = 0;
  /** A line as a data record; undefined for a line that is blank once cleaned (no row). */
  const toRecord = (next: Line): SourceRecord | undefined => {
    const fields = next.controls ? controls.clean(next.fields, next.line) : next.fields;
    if (fields !== next.fields && isBlankRow(fields)) return undefined;
    row++;
    if (maxRows !== undefined && row > maxRows) throw tooManyRows(file, maxRows, next.line);
    if (next.tooLarge) {
      // Its fields were not kept: one invalid row, with empty values.
      return { row, line: next.line, values: new Array<string>(columns.length).fill(''), problems: [tooLarge] };
    }
    const problems: string[] = [];
    if (next.invalid) problems.push(invalidUtf8Problem(next.invalid));
    else if (undecodable && fields.some((field) => field.includes('\ufffd'))) problems.push(undecodable);
    if (problems.length > 0) invalidLines.add(next.line);
    return { row, line: next.line, ...shapeRow(fields, columns.length, problems) };
  };
  /** The lines a chunk at a time, the reader's failures as ImportErrors; the input stops however the loop ends. */
  async function* lineBatches(): AsyncGenerator<Line[]> {
    try {
      yield* lines.batches();
    } catch (error) {
      throw csvFailure(error, file);
    } finally {
      lines.close();
    }
  }
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const batch of lineBatches()) {
      for (const next of batch) {
        const record = toRecord(next);
        if (record) yield record;
      }
    }
  }
  async function* batches(): AsyncGenerator<SourceRecord[]> {
    for await (const batch of lineBatches()) {
      const out: SourceRecord[] = [];
      for (const next of batch) {
        const record = toRecord(next);
        if (record) out.push(record);
      }
      if (out.length > 0) yield out;
    }
  }

  const format: FileFormat = { type: 'csv', encoding, delimiter };
  if (explicitHeaderRow !== undefined || skipped.count > 0) format.headerRow = header.line;
  return {
    columns,
    format,
    ...singleUseEither(records(), batches()),
    bytesRead: () => source.bytesRead(),
    warnings: () => {
      const all = [...warnings];
      const controlWarning = controls.warning();
      if (controlWarning) all.push(controlWarning);
      if (invalidLines.count > 0) {
        const one = invalidLines.count === 1;
        const what = utf8 ? 'invalid UTF-8' : `bytes that are not ${encoding} text`;
        all.push(
          `${invalidLines.count} row${one ? '' : 's'} ${one ? 'has' : 'have'} ${what} (${invalidLines}): ` +
            `reported invalid rather than stored with "\ufffd"; check the file's encoding`,
        );
      }
      return all;
    },
  };
}

/** Physical line of the header when the sample starts with a title block, else undefined. */
function detectHeaderLine(sample: string, complete: boolean, delimiter: string, firstLine: number): number | undefined {
  const tokenizer = new CsvTokenizer({ delimiter, fromLine: firstLine, maxRecordBytes: MAX_RECORD_BYTES });
  const read: CsvRecord[] = [];
  try {
    // A sample cut short keeps back its last, possibly partial, record.
    tokenizer.push(sample, read);
    if (complete) tokenizer.end(read);
  } catch {
    // An unclosed quote: the rows before it still tell the shape, and the full read reports it.
  }
  const rows = read.filter((record) => !isBlankRow(record.fields)).slice(0, HEADER_SEARCH_ROWS + 1);
  const index = findHeaderRow(rows.map((row) => row.fields));
  return index > 0 ? rows[index]!.line : undefined;
}

function headerTooLarge(file: string, line: number, limit: number): ImportError {
  return new ImportError('TOO_LARGE', `${file} has a header row larger than the ${formatRecordSize(limit)} limit`, {
    file,
    line,
    hint: 'raise maxRecordSize, or look for a quote (") opened near that line and closed much later',
    options: ['maxRecordSize'],
  });
}

function noHeader(file: string, what: string): ImportError {
  return new ImportError('EMPTY_FILE', `${file} ${what}`, {
    file,
    hint: 'the first line must name the columns (e.g. email,first name), followed by one contact per line',
  });
}

function csvFailure(error: unknown, file: string): ImportError {
  if (error instanceof ImportError) return error;
  if (error instanceof CsvSyntaxError) {
    const line = error.line;
    switch (error.code) {
      case 'QUOTE_NOT_CLOSED':
        return new ImportError('UNREADABLE_FILE', `${file} has a quoted field that is never closed`, {
          file,
          line,
          hint: 'add the missing closing quote ("); a quote inside a quoted field is written twice ("")',
          cause: error,
        });
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ImportError('IO', `could not read ${file}: ${reason}`, { file, cause: error });
}
