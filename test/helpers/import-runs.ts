// Helpers for tests that run real imports in child processes and look at what they leave
// behind: spawning without waiting, polling a real condition, reading the results files.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { BIN } from './cli.js';
import { comparable, type Row, type TestDatabase } from './databases.js';

export interface Spawned {
  child: ChildProcess;
  /** Settles when the process has exited, however. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = any>(): T;
}

/**
 * The built CLI in a child process, not waited for (so a test can kill it). File state only:
 * a REDIS_URL in the environment must not move the session elsewhere.
 */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Spawned {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', CI: 'true', REDIS_URL: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not JSON.\nstdout: ${stdout}\nstderr: ${stderr}`);
      }
    },
  };
}

/**
 * Polls `probe` until it returns a value other than undefined. Fails at once when `child` has
 * exited meanwhile (the moment waited for can no longer come), else after timeoutMs.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, child?: Spawned, timeoutMs = 60_000): Promise<T> {
  let exited = false;
  void child?.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const wasExited = exited;
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (wasExited) throw new Error(`the process exited before ${what}:\n${child!.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${child ? `:\n${child.stderr()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The unfinished run in contact_imports (status running), if there is one. */
export async function runningRun(db: TestDatabase): Promise<Row | undefined> {
  const rows = await db.query("SELECT * FROM contact_imports WHERE status = 'running'");
  return rows[0];
}

/**
 * Every contact, ordered by email (in code: PostgreSQL's collation orders text otherwise),
 * without what differs between two runs (ids, timestamps, import ids).
 */
export async function contactsByEmail(db: TestDatabase): Promise<Row[]> {
  const rows = await db.query('SELECT * FROM contacts');
  rows.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  return comparable(rows);
}

/** The counts of an import's --json summary (what must not depend on crashes). */
export function countsOf(summary: Row): Row {
  const { imported, updated, skipped, invalid, duplicates, excluded, totalRows } = summary;
  return { imported, updated, skipped, invalid, duplicates, excluded, totalRows };
}

export interface ResultsCsv {
  header: string[];
  /** Records as column → value, in file order. */
  records: Array<Record<string, string>>;
}

/** A results file (rejected or imported rows), parsed. */
export function readResultsCsv(file: string): ResultsCsv {
  const rows = parse(fs.readFileSync(file, 'utf8'), { relax_column_count: false }) as string[][];
  const [header = [], ...body] = rows;
  return { header, records: body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]!]))) };
}

/** Records sorted by their `_row` (the order rows were rejected in may differ between runs). */
export function byRow(records: Array<Record<string, string>>): Array<Record<string, string>> {
  return [...records].sort((a, b) => Number(a._row) - Number(b._row));
}

/**
 * Two large row lists are equal; on a difference, says where instead of printing thousands of
 * rows.
 */
export function expectSameRows(actual: Row[], expected: Row[], what: string): void {
  const problems: string[] = [];
  if (actual.length !== expected.length) problems.push(`${actual.length} rows instead of ${expected.length}`);
  const key = (row: Row) => JSON.stringify(row);
  const want = new Set(expected.map(key));
  const have = new Set(actual.map(key));
  const missing = expected.filter((row) => !have.has(key(row)));
  const extra = actual.filter((row) => !want.has(key(row)));
  if (missing.length > 0) problems.push(`${missing.length} missing, e.g. ${key(missing[0]!)}`);
  if (extra.length > 0) problems.push(`${extra.length} unexpected, e.g. ${key(extra[0]!)}`);
  if (problems.length === 0 && actual.some((row, i) => key(row) !== key(expected[i]!))) problems.push('same rows in another order');
  if (problems.length > 0) throw new Error(`${what}: ${problems.join('; ')}`);
}

/** Copies a home folder (state and uploads): a second, independent session of the same fileId. */
export function copyHome(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/**
 * Freezes an import (SIGSTOP) at a moment it holds no database transaction, so whatever the
 * test starts next meets a live holder of the run and never a held write lock. Returns the
 * function that lets it go on (SIGCONT).
 */
export async function pauseBetweenBatches(db: TestDatabase, spawned: Spawned): Promise<() => void> {
  const pid = spawned.child.pid!;
  const resume = () => void spawned.child.kill('SIGCONT');
  for (let attempt = 0; attempt < 200; attempt++) {
    spawned.child.kill('SIGSTOP');
    await until('the process to stop', async () => (isStopped(pid) ? true : undefined), spawned, 5_000);
    if (!(await db.inTransaction())) return resume;
    resume();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('never found the import between two transactions');
}

/** Linux: the state letter in /proc/<pid>/stat is T once SIGSTOP has taken effect. */
function isStopped(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'T';
  } catch {
    return true; // no /proc: SIGSTOP is synchronous enough
  }
}
