export type FileKind = 'csv' | 'xlsx' | 'xls';

/** How a file was read; reported by analyze and reused by preview and import. */
export interface FileFormat {
  type: FileKind;
  encoding: string;
  delimiter?: string;
  sheet?: string;
  /** 1-based line (CSV) or sheet row of the header; set when rows above it were skipped or it was chosen. */
  headerRow?: number;
}
