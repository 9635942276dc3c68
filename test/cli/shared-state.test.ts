import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir, type CliResult } from '../helpers/cli.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

// Several processes on one session, as with two terminals (or two machines sharing a Redis):
// `status` follows a running analysis, and two imports of the same fileId never both run.

const ROWS = 200_000;
/** Enough for two imports started together to overlap many times over; cheaper than ROWS. */
const IMPORT_ROWS = 50_000;
const redisPrefix = uniquePrefix('shared');
const stateKinds: Array<[string, Record<string, string | undefined>]> = [
  ['file', { REDIS_URL: undefined }],
  ['redis', { REDIS_URL, REDIS_PREFIX: redisPrefix }],
];

const scratch = scratchDir('ci-shared-');
const csv = path.join(scratch.dir, 'people.csv');
const smallCsv = path.join(scratch.dir, 'fewer-people.csv');

function writeCsv(file: string, rows: number): void {
  const lines = ['Email,First Name,Last Name,Company,City'];
  for (let i = 0; i < rows; i++) lines.push(`person${i}@example.com,First${i},Last${i},"Company ${i % 500}, Inc.",City ${i % 1000}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(() => {
  writeCsv(csv, ROWS);
  writeCsv(smallCsv, IMPORT_ROWS);
});
afterAll(async () => {
  scratch.cleanup();
  const client = rawClient();
  await deleteKeys(client, redisPrefix);
  await client.quit();
});

describe.each(stateKinds)('processes sharing %s state', (kind, env) => {
  const cwd = path.join(scratch.dir, kind);
  const home = ['--home', path.join(cwd, 'home')];
  const cli = (args: string[]) => runCli([...args, ...home], { cwd, env });
  let fileId = '';

  beforeAll(async () => {
    fs.mkdirSync(cwd, { recursive: true });
    const upload = await cli(['upload', csv, '--json']);
    expect(upload.code, upload.stderr).toBe(0);
    fileId = upload.json().fileId;
  }, 60_000);

  it('status in another process shows a running analysis, then its result', async () => {
    const analysis = cli(['analyze', '--file-id', fileId, '--json']);
    let finished: CliResult | undefined;
    void analysis.then((result) => (finished = result));
    const seen: Array<{ status: string; progress: number }> = [];
    while (!finished) {
      const result = await cli(['status', fileId, '--json']);
      // Before the analysis has written its first progress the session has no status yet.
      if (result.code === 0) seen.push(result.json());
    }
    expect(finished.code, finished.stderr).toBe(0);
    const running = seen.filter((s) => s.status === 'analyzing' && s.progress > 0 && s.progress < 100);
    expect(running.length, JSON.stringify(seen)).toBeGreaterThan(0);
    const progress = running.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const done = await cli(['status', fileId, '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.json()).toMatchObject({ status: 'complete', progress: 100, processed: ROWS, summary: { totalRows: ROWS, validRows: ROWS } });
  }, 120_000);

  it('of two imports started together, one runs and the other is refused; each contact lands once', async () => {
    const analyzed = await cli(['analyze', smallCsv, '--json']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const fileId = analyzed.json().fileId;
    const map = await cli(['map', '--file-id', fileId, '--auto', '--json']);
    expect(map.code, map.stderr).toBe(0);
    const imports = await Promise.all([
      cli(['import', '--file-id', fileId, '--json']),
      cli(['import', '--file-id', fileId, '--json']),
    ]);
    const succeeded = imports.filter((r) => r.code === 0);
    const refused = imports.filter((r) => r.code !== 0);
    expect(succeeded, imports.map((r) => r.stderr).join('\n')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(succeeded[0].json()).toMatchObject({ success: true, imported: IMPORT_ROWS, duplicates: 0 });
    expect(refused[0].code).toBe(1);
    expect(refused[0].stderr.trim().split('\n')).toHaveLength(1);
    expect(refused[0].stderr).toMatch(new RegExp(`another import of ${fileId} is running — wait for it to finish; if that process has died, the lock expires at `));
    expect(refused[0].json().error).toMatchObject({ code: 'LOCKED' });

    const db = new Database(path.join(cwd, 'contacts.db'), { readonly: true });
    const counts = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT email) AS emails FROM contacts').get();
    const runs = db.prepare('SELECT status FROM contact_imports').all();
    db.close();
    expect(counts).toEqual({ n: IMPORT_ROWS, emails: IMPORT_ROWS });
    expect(runs).toEqual([{ status: 'completed' }]);

    // The lock went with the import that held it: a third attempt is told the session is done.
    const third = await cli(['import', '--file-id', fileId]);
    expect(third.code).toBe(2);
    expect(third.stderr).toMatch(/unknown or expired fileId/);
  }, 120_000);
});
