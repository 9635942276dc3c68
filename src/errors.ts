// One error class for everything the tool reports to a user. The code is a closed union so
// callers can branch on it; the exit code follows SPEC §4; file/row/column say where.

export type ErrorCode =
  | 'USAGE' // bad option or argument
  | 'NOT_FOUND' // unknown or expired fileId, missing file or template
  | 'UNSUPPORTED_FILE' // not a spreadsheet, unknown format
  | 'UNREADABLE_FILE' // broken CSV/XLSX structure
  | 'TOO_LARGE' // over MAX_FILE_SIZE_MB / MAX_ROWS_ALLOWED / field or column limits
  | 'EMPTY_FILE' // no header row
  | 'BAD_MAPPING' // unknown field, two columns on one field, required field unmapped
  | 'NO_MAPPING' // a step needs a mapping that was never saved
  | 'PROMPT_NEEDED' // interactive input needed but --no-input or no TTY
  | 'NOT_CONFIGURED' // an adapter selected without what it needs (bucket, REDIS_URL, credentials)
  | 'MAX_INVALID' // --max-invalid exceeded, nothing written
  | 'LOCKED' // another process is importing the same file (or the import to undo is running)
  | 'CONFLICT' // undo would discard changes made after the import
  | 'INTERRUPTED' // SIGINT / SIGTERM
  | 'CANCELLED' // a confirmation was answered no
  | 'UNAUTHORIZED' // the server: a missing or wrong API key
  | 'RATE_LIMITED' // the server: too many uploads or imports from one client
  | 'IO' // disk, database or service failure
  | 'INTERNAL'; // a bug

const EXIT_CODES: Record<ErrorCode, number> = {
  USAGE: 2,
  NOT_FOUND: 2,
  UNSUPPORTED_FILE: 2,
  UNREADABLE_FILE: 2,
  TOO_LARGE: 2,
  EMPTY_FILE: 2,
  BAD_MAPPING: 2,
  NO_MAPPING: 2,
  PROMPT_NEEDED: 2,
  NOT_CONFIGURED: 2,
  MAX_INVALID: 3,
  LOCKED: 1,
  CONFLICT: 2,
  INTERRUPTED: 130,
  CANCELLED: 1,
  UNAUTHORIZED: 2,
  RATE_LIMITED: 1,
  IO: 1,
  INTERNAL: 1,
};

export interface ErrorPlace {
  file?: string;
  /** 1-based data row (header excluded). */
  row?: number;
  /** 1-based physical line of the file, where it differs from the row. */
  line?: number;
  column?: string;
}

/**
 * A step of the pipeline the caller can take next, in the library's terms. Each skin renders it
 * its own way: the CLI as a command line, the server as a route.
 */
export type NextStep =
  | { step: 'upload' }
  | { step: 'analyze'; fileId: string }
  | { step: 'map'; fileId: string }
  | { step: 'preview'; fileId: string; invalidOnly?: boolean }
  | { step: 'import'; fileId?: string }
  | { step: 'history' }
  | { step: 'undo'; importId: string };

export interface ErrorDetails extends ErrorPlace {
  /**
   * What the caller can do about it, in the library's words: options are named as in the
   * options objects (`headerRow`), never as command-line flags. List them in `options`.
   */
  hint?: string;
  /** The library options the hint names (camelCase, as in ImportOptions, AnalyzeOptions, …). */
  options?: string[];
  /** The step that gets past this error, when there is one. */
  next?: NextStep;
  cause?: unknown;
}

/** How a skin words the machine-readable parts of a hint. */
export interface HintRenderer {
  /** An option's name as this skin's user writes it (the CLI: `--header-row`). */
  option?(name: string): string;
  /** A next step as this skin's user takes it (the CLI: a command line). */
  next?(step: NextStep): string;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly options: readonly string[];
  readonly next?: NextStep;
  readonly place: ErrorPlace;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.hint = details.hint;
    this.options = details.options ?? [];
    this.next = details.next;
    const { file, row, line, column } = details;
    this.place = { file, row, line, column };
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  /** The hint in a skin's words: option names rendered, the next step appended. */
  hintFor(renderer: HintRenderer = {}): string | undefined {
    let hint = this.hint;
    if (hint && renderer.option) {
      for (const name of this.options) hint = hint.replace(new RegExp(`\\b${name}\\b`, 'g'), renderer.option(name));
    }
    const next = this.next && renderer.next ? renderer.next(this.next) : undefined;
    if (next) hint = hint ? `${hint}: ${next}` : next;
    return hint;
  }

  /** One line: what is wrong, where, and what to do. */
  describe(renderer: HintRenderer = {}): string {
    const where: string[] = [];
    // Messages usually name the file already; say it once.
    if (this.place.file && !this.message.includes(this.place.file)) where.push(this.place.file);
    if (this.place.row !== undefined) where.push(`row ${this.place.row}`);
    if (this.place.line !== undefined) where.push(`line ${this.place.line}`);
    // …and the column too ('Column "First Name" is mapped twice' needs no `(column "First Name")`).
    if (this.place.column !== undefined && !this.message.includes(`"${this.place.column}"`)) where.push(`column "${this.place.column}"`);
    const at = where.length > 0 ? ` (${where.join(', ')})` : '';
    const text = this.hintFor(renderer);
    const hint = text ? ` — ${text}` : '';
    return `${this.message}${at}${hint}`;
  }
}

export function isImportError(error: unknown): error is ImportError {
  return error instanceof ImportError;
}

/** Wraps an unknown failure (fs, driver) as an I/O error with a readable message. */
export function toImportError(error: unknown, context: string): ImportError {
  if (error instanceof ImportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ImportError('IO', `${context}: ${message}`, { cause: error });
}

export function fileTooLarge(fileName: string, maxBytes: number): ImportError {
  return new ImportError('TOO_LARGE', `${fileName} is larger than ${maxBytes / 1024 / 1024} MB`, {
    hint: 'raise MAX_FILE_SIZE_MB or split the file',
  });
}
