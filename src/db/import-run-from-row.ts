import type { ImportRun, ImportStatus } from './contact-store.js';

/**
 * One contact_imports row as an ImportRun, the same on both engines: SQLite gives ISO text and
 * mapping as JSON text, PostgreSQL Dates and parsed JSONB. Rows recorded by schema version 1
 * have nulls in the newer columns (table, owner…) and in their counts when they never finished.
 */
export function importRunFromRow(row: Record<string, unknown>): ImportRun {
  return {
    importId: String(row.id),
    fileId: textOrNull(row.file_id),
    fileName: textOrNull(row.file_name),
    fileSha256: textOrNull(row.file_sha256),
    table: textOrNull(row.table_name),
    status: String(row.status) as ImportStatus,
    startedAt: timeOrNull(row.started_at) ?? '',
    finishedAt: timeOrNull(row.finished_at),
    totalRows: count(row.total_rows),
    rowsDone: count(row.rows_done),
    imported: count(row.imported),
    updated: count(row.updated),
    skipped: count(row.skipped),
    invalid: count(row.invalid),
    duplicates: count(row.duplicates),
    excluded: count(row.excluded),
    mapping: mappingOf(row.mapping),
    resumeKey: textOrNull(row.resume_key),
    owner: textOrNull(row.owner),
    heartbeatAt: timeOrNull(row.heartbeat_at),
    undoneAt: timeOrNull(row.undone_at),
  };
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function timeOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function count(value: unknown): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function mappingOf(value: unknown): Record<string, string> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
}
