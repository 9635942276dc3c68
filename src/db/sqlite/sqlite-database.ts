/** What the SQLite engine needs of a better-sqlite3 statement. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  pluck(toggle?: boolean): this;
}

/**
 * The part of a better-sqlite3 Database the SQLite engine uses, so callers may hand in their
 * own instance (or anything shaped like it) and the driver's types stay out of the rest.
 */
export interface SqliteDatabase {
  readonly inTransaction: boolean;
  /** The file it opened (better-sqlite3 sets it). */
  readonly name?: string;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}
