// The SQLite writer thread's side (see sqlite-writer-thread.ts): its own connection to the
// database file, the same batch writer the calling thread would use, one request at a time.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SqliteBatchWriter } from './sqlite-batch-writer.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { configureConnection } from './sqlite-pragmas.js';
import { OUTCOMES, type PackedWritten, type WriterAnswer, type WriterRequest, type WriterSetup } from './sqlite-writer-thread.js';

const { file, table } = workerData as WriterSetup;
const port = parentPort!;
let db: SqliteDatabase | undefined;
let writer: SqliteBatchWriter | undefined;
let opening: unknown;
try {
  db = new Database(file, { fileMustExist: true });
  configureConnection(db, { dryRun: false, bulk: true });
  writer = new SqliteBatchWriter(db, table);
} catch (error) {
  opening = error;
}

function answer(request: WriterRequest): unknown {
  if (request.op === 'close') {
    db?.close();
    db = undefined;
    opening = new Error('the SQLite writer thread was closed');
    return undefined;
  }
  if (!db || !writer) throw opening;
  switch (request.op) {
    case 'write': {
      db.exec('BEGIN IMMEDIATE');
      try {
        const written = writer.write(request.contacts, request.options, request.now);
        const packed: PackedWritten = { outcomes: new Uint8Array(written.length), ids: new Float64Array(written.length) };
        for (let i = 0; i < written.length; i++) {
          packed.outcomes[i] = OUTCOMES.indexOf(written[i]!.outcome);
          packed.ids[i] = written[i]!.id ?? Number.NaN;
        }
        return packed;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    }
    case 'run':
      return db.prepare(request.sql).run(...request.params).changes;
    case 'all':
      return db.prepare(request.sql).all(...request.params);
    case 'commit':
      db.exec('COMMIT');
      return undefined;
    case 'rollback':
      if (db.inTransaction) db.exec('ROLLBACK');
      return undefined;
  }
}

port.on('message', (request: WriterRequest) => {
  let reply: WriterAnswer;
  try {
    reply = { id: request.id, ok: true, value: answer(request) };
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
  }
  port.postMessage(reply);
});
