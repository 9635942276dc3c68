// A PostgreSQL server that stops answering in the middle of an import (hung, or cut off by the
// network): the import must not stall forever. The "server" is a proxy in front of the shared
// one that stops passing bytes (the shared server itself is never paused). Every statement is
// bounded, so the import fails with one clear line (exit 1); an interrupt ends the process
// within a few seconds whatever the server does (exit 130). Either way the same command, once
// the server answers, resumes to the table and totals of a clean run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers/cli.js';
import { POSTGRES, type TestDatabase } from '../helpers/databases.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import { contactsByEmail, copyHome, countsOf, expectSameRows, runningRun, spawnCli, until } from '../helpers/import-runs.js';
import { pausableProxy, type PausableProxy } from '../helpers/pausable-proxy.js';

const ROWS = 20_000;
const noRedis = { REDIS_URL: undefined };
const scratch = scratchDir('ci-pg-hang-');
const cwd = scratch.dir;
const template = path.join(cwd, 'template');
const databases: TestDatabase[] = [];
let fileId = '';
let reference: { counts: Record<string, unknown>; db: TestDatabase };
let n = 0;

function importArgs(url: string, home: string): string[] {
  return ['import', '--file-id', fileId, '--database', url, '--batch-size', '500', '--json', '--home', home];
}

function homeCopy(): string {
  const home = path.join(cwd, `home-${++n}`);
  copyHome(template, home);
  return home;
}

/** The URL of `db`, reached through the proxy. */
function through(proxy: PausableProxy, db: TestDatabase): string {
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

function upstream(db: TestDatabase): { host: string; port: number } {
  const url = new URL(db.url);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

beforeAll(async () => {
  const file = path.join(cwd, 'contacts.csv');
  fs.writeFileSync(file, generateContacts({ rows: ROWS, seed: 14 }).csv);
  const analyzed = await runCli(['analyze', file, '--json', '--home', template], { cwd, env: noRedis });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  fileId = analyzed.json().fileId;
  expect((await runCli(['map', '--file-id', fileId, '--auto', '--home', template], { cwd, env: noRedis })).code).toBe(0);
  const clean = POSTGRES.create(cwd);
  databases.push(clean);
  const run = await runCli(importArgs(clean.url, homeCopy()), { cwd, env: noRedis });
  expect(run.code, run.stderr).toBe(0);
  reference = { counts: countsOf(run.json()), db: clean };
}, 90_000);

afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
  scratch.cleanup();
});

/**
 * Starts an import through a proxy, waits until a quarter of the file is committed, then makes
 * the server go silent. Returns the running import and when the silence began.
 */
async function importUntilHung(env: Record<string, string>) {
  const db = POSTGRES.create(cwd);
  databases.push(db);
  const proxy = await pausableProxy(upstream(db));
  const home = homeCopy();
  const child = spawnCli(importArgs(through(proxy, db), home), { cwd, env });
  await until('a quarter of the file to be committed', async () => {
    const run = await runningRun(db);
    return run && Number(run.rows_done) >= ROWS / 4 ? run : undefined;
  }, child);
  proxy.pause();
  return { db, proxy, home, child, hungAt: Date.now() };
}

/** Once the server answers again, the same command finishes the run as if it had never stopped. */
async function resumesToTheCleanRun(db: TestDatabase, home: string): Promise<void> {
  const [stopped] = await db.query('SELECT id, rows_done FROM contact_imports');
  const again = await runCli(importArgs(db.url, home), { cwd, env: noRedis });
  expect(again.code, again.stderr).toBe(0);
  const summary = again.json();
  expect(summary).toMatchObject({ success: true, importId: stopped!.id, resumedFrom: Number(stopped!.rows_done) });
  expect(countsOf(summary)).toEqual(reference.counts);
  expectSameRows(await contactsByEmail(db), await contactsByEmail(reference.db), 'contacts');
  expect(await db.query('SELECT status FROM contact_imports')).toEqual([{ status: 'completed' }]);
}

describe('a PostgreSQL server that stops answering mid-import', () => {
  it('fails within PG_STATEMENT_TIMEOUT_MS and a little more, in one line (exit 1), and the run resumes', async () => {
    const { db, proxy, home, child, hungAt } = await importUntilHung({ PG_STATEMENT_TIMEOUT_MS: '2000' });
    try {
      const { code } = await child.exited;
      const waited = Date.now() - hungAt;
      expect(code, child.stderr()).toBe(1);
      // 2 s for the statement, 2 s more for an answer that never comes, and the exit.
      expect(waited).toBeLessThan(10_000);
      const errorLines = child.stderr().split('\n').filter((line) => line.startsWith('error:'));
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatch(/^error: cannot write contacts \(rows \d+–\d+\) to table ci_\w+\.contacts at postgres@127\.0\.0\.1:\d+\/test: no answer from the server within 4 s — /);
      expect(errorLines[0]).toMatch(/connection was dropped \(PG_STATEMENT_TIMEOUT_MS sets how long a statement may take\); once it answers, .*run the same import again to finish/);
      expect(child.json()).toMatchObject({ success: false, error: { code: 'IO' } });
      // Nothing could be recorded on a silent server: the run is unfinished, its process gone.
      expect(await db.query('SELECT status FROM contact_imports')).toEqual([{ status: 'running' }]);
    } finally {
      child.child.kill('SIGKILL'); // only if it outlived the test
      await proxy.close();
    }
    await resumesToTheCleanRun(db, home);
  }, 120_000);

  it('SIGTERM ends the process within a few seconds (exit 130) though the server never answers, and the run resumes', async () => {
    // The default bounds (60 s) are far away: only the interrupt can end it this soon.
    const { db, proxy, home, child } = await importUntilHung({});
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const signalledAt = Date.now();
      child.child.kill('SIGTERM');
      const { code } = await child.exited;
      expect(code, child.stderr()).toBe(130);
      expect(Date.now() - signalledAt).toBeLessThan(9000);
      expect(child.stderr()).toMatch(/interrupting/);
      expect(child.stderr()).toMatch(/error: interrupted, and still not stopped 5 s later \(the database or another service is not answering\)/);
      expect(child.stderr()).toMatch(/run the same command again/);
      expect(child.json()).toMatchObject({ success: false, error: { code: 'INTERRUPTED' } });
    } finally {
      child.child.kill('SIGKILL'); // only if it outlived the test
      await proxy.close();
    }
    await resumesToTheCleanRun(db, home);
  }, 120_000);
});
