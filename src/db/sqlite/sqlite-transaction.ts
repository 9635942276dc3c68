import type { SqliteDatabase } from './sqlite-database.js';

export interface OpenTransaction {
  commit(): void;
  rollback(): void;
}

const SAVEPOINT = 'contact_import';

/**
 * BEGIN IMMEDIATE (a writer queues for the write lock at once, so it never holds a read
 * snapshot it would have to upgrade: no SQLITE_BUSY), or a savepoint inside an open
 * transaction such as a dry run's. Some failures (disk full, I/O) make SQLite drop the whole
 * transaction itself; rollback then has nothing left to do.
 */
export function beginTransaction(db: SqliteDatabase): OpenTransaction {
  const nested = db.inTransaction;
  db.exec(nested ? `SAVEPOINT ${SAVEPOINT}` : 'BEGIN IMMEDIATE');
  return {
    commit: () => db.exec(nested ? `RELEASE ${SAVEPOINT}` : 'COMMIT'),
    rollback: () => {
      if (db.inTransaction) db.exec(nested ? `ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT}` : 'ROLLBACK');
    },
  };
}

/** Runs synchronous work in one transaction (see beginTransaction). */
export function inTransaction<T>(db: SqliteDatabase, work: () => T): T {
  const transaction = beginTransaction(db);
  try {
    const result = work();
    transaction.commit();
    return result;
  } catch (error) {
    transaction.rollback();
    throw error;
  }
}
