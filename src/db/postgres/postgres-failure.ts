import { ImportError, isImportError } from '../../errors.js';

/** What a pg or socket error carries that helps to explain it (all optional). */
interface DriverError {
  message?: string;
  /** SQLSTATE for server errors, errno name (ECONNREFUSED…) for socket errors. */
  code?: string;
  detail?: string;
}

const RETRY = 'what was committed before stays; run the same import again to finish (contacts already imported are skipped)';

/**
 * Turns a node-postgres or socket failure into one clear ImportError('IO') with a hint.
 * `context` says what was being done and where (never with a password: callers build it from
 * the connection's host, port, user and database, not from the URL).
 */
export function postgresFailure(error: unknown, context: string, details: { row?: number } = {}): ImportError {
  if (isImportError(error)) return error;
  const driver = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = typeof driver.code === 'string' ? driver.code : '';
  const text = typeof driver.message === 'string' && driver.message !== '' ? driver.message : String(error);
  const { reason, hint, options } = explain(code, text);
  const detail = typeof driver.detail === 'string' && driver.detail !== '' ? ` (${oneLine(driver.detail)})` : '';
  return new ImportError('IO', `${context}: ${oneLine(reason)}${detail}`, { hint, options, cause: error, row: details.row });
}

/** True when the connection itself is gone, so nothing more can be sent on it. */
export function isConnectionLost(error: unknown): boolean {
  const driver = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = typeof driver.code === 'string' ? driver.code : '';
  return code.startsWith('08') || ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE', 'NO_ANSWER'].includes(code) || LOST.test(String(driver.message));
}

/**
 * True for the errors PostgreSQL expects a client to answer by running the transaction again:
 * deadlock_detected (two imports inserting the same emails in different orders) and
 * serialization_failure.
 */
export function isRetryableConflict(error: unknown): boolean {
  const code = (typeof error === 'object' && error !== null ? (error as DriverError).code : undefined) ?? '';
  return code === '40P01' || code === '40001';
}

const LOST = /Connection terminated|not queryable|socket hang up/i;

type Explained = { reason: string; hint?: string; options?: string[] };

function explain(code: string, message: string): Explained {
  const server = { hint: 'check that the server is running and that database (or DATABASE_URL, PGHOST, PGPORT) points to it', options: ['database'] };
  switch (code) {
    case 'ECONNREFUSED':
      return { reason: 'connection refused', ...server };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { reason: 'host not found', ...server };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { reason: `host unreachable (${code})`, ...server };
    case '28P01':
    case '28000':
      return { reason: message, hint: 'check the user and password in the URL, or PGUSER / PGPASSWORD (passwords are never shown)' };
    case '3D000':
      return { reason: message, hint: 'create it first (createdb NAME), or name another one in database', options: ['database'] };
    case '42501':
      return { reason: message, hint: 'grant the user the privileges it needs, or set schema to one it owns', options: ['schema'] };
    case '53100':
      return { reason: message, hint: 'the database server is out of disk space; free some and run the import again' };
    case 'NO_ANSWER':
      return {
        reason: message,
        hint: `the server is hung, overloaded or cut off, so the connection was dropped (PG_STATEMENT_TIMEOUT_MS sets how long a statement may take); once it answers, ${RETRY}`,
      };
    case '57014':
      if (/statement timeout/i.test(message)) {
        return { reason: message, hint: `a statement ran longer than PG_STATEMENT_TIMEOUT_MS allows; raise it if the server is merely slow; ${RETRY}` };
      }
      return { reason: message, hint: `the statement was cancelled; ${RETRY}` };
    case '55P03':
      return { reason: message, hint: `another session held a lock longer than PG_LOCK_TIMEOUT_MS allows; ${RETRY}` };
  }
  // pg says "timeout expired" or "Connection terminated due to connection timeout".
  if (/timeout expired|connection timeout/i.test(message)) {
    return { reason: 'no answer from the server in time', ...server };
  }
  if (/\bSSL\b/i.test(message)) {
    return { reason: message, hint: 'set sslmode in the URL to what the server supports, e.g. ?sslmode=disable or ?sslmode=require' };
  }
  if (isConnectionLost({ code, message })) {
    return { reason: `the connection was lost (${message})`, hint: `the server closed the connection; ${RETRY}` };
  }
  return { reason: message };
}

/**
 * Server text on one line and of a readable length (counted in code points): a "Failing row
 * contains (…)" detail repeats the row's values, which may hold newlines and long notes.
 */
function oneLine(text: string, max = 300): string {
  const flat = Array.from(text.replace(/\s*[\r\n]+\s*/g, ' '));
  return flat.length <= max ? flat.join('') : `${flat.slice(0, max - 1).join('')}…`;
}
