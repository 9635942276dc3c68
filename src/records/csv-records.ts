// CSV/TSV text → records. Encoding, `sep=` line and delimiter are settled from the head of
// the file (or taken from an earlier analysis), then csv-parse streams the rest.

import { pipeline } from 'node:stream';
import { CsvError, parse, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import { ImportError } from '../errors.js';
import type { FileFormat, SourceRecord } from '../types.js';
import type { ByteSource } from './byte-source.js';
import { checkEncoding, detectEncoding, isUtf8Encoding } from './detect-encoding.js';
import { detectFileKind, MAGIC_HEAD_BYTES } from './detect-file-kind.js';
import type { ReadOptions, RecordSource } from './record-source.js';
import { isBlankRow, MAX_COLUMNS, shapeRow, tooManyColumns, tooManyRows } from './shape-row.js';
import { singleUse } from './single-use.js';
import { normalizeDelimiter, parseSepLine, sniffDelimiter } from './sniff-delimiter.js';
import { uniqueHeaders } from './unique-headers.js';

/** Bytes used to tell UTF-8 from windows-1252: a late `é` should still be seen. */
const ENCODING_SAMPLE_BYTES = 1024 * 1024;
/** Bytes decoded to sniff the delimiter: plenty for the first 20 records. */
const SNIFF_SAMPLE_BYTES = 64 * 1024;
/** Larger records are refused: usually an unclosed quote swallowing the rest of the file. */
export const MAX_RECORD_BYTES = 1024 * 1024;

interface Line {
  fields: string[];
  line: number;
}

/** Decides how to read the text, then reads up to the header row. */
export async function readCsvRecords(source: ByteSource, options: ReadOptions): Promise<RecordSource> {
  const file = options.fileName;
  const earlier = options.format?.type === 'csv' ? options.format : undefined;
  const encodingOption = options.encoding ?? earlier?.encoding;

  const { head, complete } = await source.head(
    encodingOption === undefined ? ENCODING_SAMPLE_BYTES : SNIFF_SAMPLE_BYTES,
  );
  if (head.length === 0) throw noHeader(file, 'is empty');

  let encoding: string;
  if (encodingOption === undefined) {
    // Upload already checked this; a stream handed straight to the library may not have been.
    const kind = detectFileKind(head.subarray(0, MAGIC_HEAD_BYTES), file);
    if (kind !== 'csv') {
      throw new ImportError('UNSUPPORTED_FILE', `${file} is an ${kind.toUpperCase()} workbook, not CSV text`, {
        file,
        hint: 'read it as a spreadsheet (upload it again so its type is detected)',
      });
    }
    encoding = detectEncoding(head, complete).encoding;
  } else {
    encoding = checkEncoding(encodingOption, file);
  }

  // iconv strips a BOM for the BOM-aware encodings, so the sniffer never sees one.
  const sample = iconv.decode(head.subarray(0, SNIFF_SAMPLE_BYTES), encoding);
  const sampleComplete = complete && head.length <= SNIFF_SAMPLE_BYTES;
  const sepDelimiter = parseSepLine(sample);
  const delimiterOption = options.delimiter ?? earlier?.delimiter;
  const delimiter =
    delimiterOption !== undefined
      ? normalizeDelimiter(delimiterOption, file)
      : (sepDelimiter ?? sniffDelimiter(sample, sampleComplete));

  // Physical line numbers are counted here rather than taken from info.lines, which counts a
  // CRLF inside a quoted field as two lines. on_record runs inside the parser, in file order,
  // so the count is also right for an error hit while earlier records still sit in its buffer.
  const lines = new LineCounter(sepDelimiter === undefined ? 0 : 1);
  const parserOptions: Options<Line, string[]> = {
    bom: true,
    delimiter,
    // Listing all three makes files with mixed line endings work; csv-parse's own detection
    // fixes one ending per file and leaves stray `\r` or `\n` inside values.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // Whitespace-only records are dropped in on_record instead, so their lines are counted.
    skip_records_with_empty_values: false,
    max_record_size: MAX_RECORD_BYTES,
    from_line: sepDelimiter === undefined ? 1 : 2,
    on_record: (fields: string[], info): Line | null => {
      const line = lines.place(fields, info.empty_lines);
      return isBlankRow(fields) ? null : { fields, line };
    },
  };
  // The typings only let on_record change the record type together with `columns`.
  const parser = parse(parserOptions as unknown as Options);
  // Errors reach the parser (pipeline destroys every stream with the first error), and so
  // the iteration below; the callback only keeps them from being reported twice.
  const ignore = (): void => {};
  if (isUtf8Encoding(encoding)) pipeline(source.stream(), parser, ignore);
  else pipeline(source.stream(), iconv.decodeStream(encoding), parser, ignore);

  const parsed = parser[Symbol.asyncIterator]() as AsyncIterator<Line>;
  const nextLine = async (): Promise<Line | undefined> => {
    try {
      const result = await parsed.next();
      return result.done ? undefined : result.value;
    } catch (error) {
      throw csvFailure(error, file, lines.startOfFailed(error));
    }
  };

  let columns: string[];
  try {
    const header = await nextLine();
    if (header === undefined) throw noHeader(file, 'has no header row');
    if (header.fields.length > MAX_COLUMNS) {
      throw tooManyColumns(file, header.fields.length, header.line);
    }
    columns = uniqueHeaders(header.fields);
  } catch (error) {
    await parsed.return?.();
    throw error;
  }

  const maxRows = options.maxRows;
  async function* records(): AsyncGenerator<SourceRecord> {
    try {
      let row = 0;
      for (let next = await nextLine(); next !== undefined; next = await nextLine()) {
        row++;
        if (maxRows !== undefined && row > maxRows) throw tooManyRows(file, maxRows, next.line);
        yield { row, line: next.line, ...shapeRow(next.fields, columns.length) };
      }
    } finally {
      // Stops the parser and the input when the consumer breaks out early.
      await parsed.return?.();
    }
  }

  const format: FileFormat = { type: 'csv', encoding, delimiter };
  return { columns, format, records: singleUse(records()), bytesRead: () => source.bytesRead() };
}

/** Tracks the physical line (CRLF, LF or a lone CR each end one) where each record starts. */
class LineCounter {
  #lastLine: number;
  #emptyLines = 0;

  constructor(linesBefore: number) {
    this.#lastLine = linesBefore;
  }

  /** Start line of a record; `emptyLines` is csv-parse's running count of skipped lines. */
  place(fields: readonly string[], emptyLines: number): number {
    const start = this.#lastLine + 1 + (emptyLines - this.#emptyLines);
    this.#emptyLines = emptyLines;
    this.#lastLine = start + countLineBreaks(fields);
    return start;
  }

  /** Start line of the record a parse error interrupted. */
  startOfFailed(error: unknown): number {
    const emptyLines = error instanceof CsvError && typeof error.empty_lines === 'number'
      ? error.empty_lines
      : this.#emptyLines;
    return this.#lastLine + 1 + (emptyLines - this.#emptyLines);
  }
}

function countLineBreaks(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) {
    if (!field.includes('\n') && !field.includes('\r')) continue;
    breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return breaks;
}

function noHeader(file: string, what: string): ImportError {
  return new ImportError('EMPTY_FILE', `${file} ${what}`, {
    file,
    hint: 'the first line must name the columns (e.g. email,first name), followed by one contact per line',
  });
}

function csvFailure(error: unknown, file: string, line: number): ImportError {
  if (error instanceof ImportError) return error;
  if (error instanceof CsvError) {
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new ImportError('UNREADABLE_FILE', `${file} has a quoted field that is never closed`, {
          file,
          line,
          hint: 'add the missing closing quote ("); a quote inside a quoted field is written twice ("")',
          cause: error,
        });
      case 'CSV_MAX_RECORD_SIZE':
        return new ImportError(
          'TOO_LARGE',
          `${file} has a record larger than ${MAX_RECORD_BYTES / (1024 * 1024)} MiB`,
          {
            file,
            line,
            hint: 'look for a quote (") that is opened but never closed near that line, or shorten the field',
            cause: error,
          },
        );
      default:
        return new ImportError('UNREADABLE_FILE', `${file} could not be read as CSV: ${error.message}`, {
          file,
          line,
          hint: 'check the file near that line, or save it again as CSV from your spreadsheet program',
          cause: error,
        });
    }
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ImportError('IO', `could not read ${file}: ${reason}`, { file, cause: error });
}
