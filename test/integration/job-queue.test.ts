// Many machines: analyses and imports as BullMQ jobs on the local Redis, worked by separate
// `contact-import worker` processes (the built binary) sharing S3 (the in-process s3rver),
// Redis state and a PostgreSQL schema. One worker is killed with SIGKILL mid-import, another
// stopped with SIGTERM mid-import; every job still completes exactly once and the contacts
// table is the one clean runs of each file produce.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullJobRunner } from '../../src/jobs/bull-job-runner.js';
import { analysisJobId, importJobId } from '../../src/jobs/job-ids.js';
import type { JobRecord } from '../../src/jobs/job-runner.js';
import { openContext, type Context } from '../../src/pipeline/context.js';
import { resolveMapping, saveMapping } from '../../src/pipeline/map.js';
import { queueAnalysis } from '../../src/pipeline/queue-analysis.js';
import { run } from '../../src/pipeline/run.js';
import { requireAnalysis } from '../../src/pipeline/session.js';
import { upload } from '../../src/pipeline/upload.js';
import { scratchDir } from '../helpers/cli.js';
import { POSTGRES, type TestDatabase } from '../helpers/databases.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import { contactsByEmail, spawnCli, until, type Spawned } from '../helpers/import-runs.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

const ANALYSES = 10;
const IMPORTS = 5;

let scratch: ReturnType<typeof scratchDir>;
let s3: S3TestServer;
let db: TestDatabase;
let prefix: string;
let env: Record<string, string>;
let ctx: Context;
let queue: BullJobRunner;
const workers: Spawned[] = [];

function startWorker(): Spawned {
  const worker = spawnCli(['worker', '--concurrency', '1'], { cwd: scratch.dir, env });
  workers.push(worker);
  return worker;
}

async function waitForJobs(ids: string[], timeoutMs: number): Promise<JobRecord[]> {
  return until(
    `${ids.length} jobs to end`,
    async () => {
      const records = await Promise.all(ids.map((id) => queue.get(id)));
      const failed = records.find((r) => r?.status === 'failed');
      if (failed) throw new Error(`job ${failed.id} failed: ${JSON.stringify(failed.error)}`);
      return records.every((r) => r?.status === 'completed') ? (records as JobRecord[]) : undefined;
    },
    undefined,
    timeoutMs,
  ).catch(async (error) => {
    throw new Error(`${error}\n${workers.map((w, i) => `worker ${i}:\n${w.stdout()}${w.stderr()}`).join('\n')}`);
  });
}

/** A running import owned by one of these workers, with at least one batch committed. */
async function importRunningOn(candidates: Spawned[]): Promise<{ worker: Spawned; fileId: string }> {
  return until(
    'an import mid-way on a worker',
    async () => {
      const rows = await db.query("SELECT owner, file_id, rows_done, total_rows FROM contact_imports WHERE status = 'running' AND rows_done > 0");
      for (const row of rows) {
        if (row.rows_done >= row.total_rows) continue;
        const pid = Number(String(row.owner).split(':').pop());
        const worker = candidates.find((w) => w.child.pid === pid && w.child.exitCode === null);
        if (worker) return { worker, fileId: row.file_id as string };
      }
      return undefined;
    },
    undefined,
    60_000,
  );
}

function digest(rows: unknown[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

beforeAll(async () => {
  scratch = scratchDir('ci-queue-');
  s3 = await startS3Server();
  db = POSTGRES.create(scratch.dir);
  prefix = uniquePrefix('queue');
  env = {
    ...s3.env,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    DATABASE_URL: db.url,
    CONTACT_IMPORT_HOME: path.join(scratch.dir, 'home'),
    // A dead worker's job is taken over within a few seconds, not the default 30.
    JOB_LOCK_SECONDS: '3',
    JOB_STALLED_CHECK_SECONDS: '1',
    JOB_BACKOFF_SECONDS: '0.5',
  };
  ctx = openContext({ home: env.CONTACT_IMPORT_HOME, env });
  queue = new BullJobRunner(ctx.config);
});

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await queue?.close();
  await ctx?.close();
  const redis = rawClient();
  await deleteKeys(redis, prefix).catch(() => undefined);
  redis.disconnect();
  await db?.drop();
  await s3?.stop();
  scratch?.cleanup();
});

describe('BullMQ jobs across worker processes', () => {
  it('runs ten analyses and five imports on two workers; a SIGKILLed and a SIGTERMed worker lose nothing', async () => {
    const files = Array.from({ length: ANALYSES + IMPORTS }, (_, i) => {
      const rows = i < ANALYSES ? 2_000 : 12_000;
      const file = path.join(scratch.dir, `file-${i}.csv`);
      fs.writeFileSync(file, generateContacts({ rows, seed: 100 + i, local: `f${i}-` }).csv);
      return file;
    });
    const fileIds: string[] = [];
    for (const file of files) fileIds.push((await upload(ctx, { path: file })).fileId);

    // Queued before any worker runs: nothing is lost while no one works.
    for (const fileId of fileIds) {
      await queueAnalysis(ctx, fileId);
      await queue.submit('analyze', analysisJobId(fileId), { fileId });
    }
    // A retried request: the same job, not a second one.
    await queue.submit('analyze', analysisJobId(fileIds[0]!), { fileId: fileIds[0] });
    expect((await queue.list(['waiting'])).filter((j) => j.kind === 'analyze')).toHaveLength(ANALYSES + IMPORTS);

    const first = [startWorker(), startWorker()];
    const importIds = fileIds.slice(ANALYSES);
    await waitForJobs(importIds.map(analysisJobId), 60_000);
    const importJobs: string[] = [];
    for (const fileId of importIds) {
      const { mapping } = await resolveMapping(ctx, await requireAnalysis(ctx, fileId), { auto: true });
      await saveMapping(ctx, fileId, mapping);
      const id = importJobId(fileId, {});
      importJobs.push(id);
      await queue.submit('import', id, { fileId, options: {} });
      await queue.submit('import', id, { fileId, options: {} });
    }

    // kill -9 one worker between two batches of an import.
    const killed = await importRunningOn(first);
    killed.worker.child.kill('SIGKILL');
    const survivor = first.find((w) => w !== killed.worker)!;
    const third = startWorker();

    // SIGTERM another one mid-import: its import stops at a checkpoint, the job goes back to the queue, exit 0.
    const stopped = await importRunningOn([survivor, third]);
    stopped.worker.child.kill('SIGTERM');
    expect((await stopped.worker.exited).code).toBe(0);
    expect(stopped.worker.stdout() + stopped.worker.stderr()).toMatch(/stopping/);
    startWorker();

    const analyses = await waitForJobs(fileIds.map(analysisJobId), 90_000);
    const imports = await waitForJobs(importJobs, 90_000);
    expect(analyses.every((job) => (job.result as { fileId: string }).fileId)).toBe(true);

    // The killed and the stopped import were each resumed from their checkpoint by another worker.
    const killedJob = imports[importIds.indexOf(killed.fileId)]!;
    expect(killedJob.note).toMatch(/worker stopped once/);
    expect((killedJob.result as { resumedFrom?: number }).resumedFrom).toBeGreaterThan(0);
    const stoppedJob = imports[importIds.indexOf(stopped.fileId)]!;
    expect((stoppedJob.result as { resumedFrom?: number }).resumedFrom).toBeGreaterThan(0);
    expect(stoppedJob.error).toBeUndefined();

    // No job ran to completion twice: each completed once across every worker's log, one run per file.
    const logs = workers.map((w) => w.stdout() + w.stderr()).join('\n');
    for (const id of [...fileIds.map(analysisJobId), ...importJobs]) {
      expect(logs.split('\n').filter((line) => line.startsWith(`completed `) && line.includes(` ${id}`)), id).toHaveLength(1);
    }
    const runs = await db.query('SELECT file_id, status FROM contact_imports');
    expect(runs).toHaveLength(IMPORTS);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);

    // The contacts table equals clean, uninterrupted runs of each file.
    const reference = POSTGRES.create(scratch.dir);
    try {
      const clean = openContext({ home: path.join(scratch.dir, 'clean'), storage: 'local', state: 'file', database: reference.url, env: {} });
      try {
        for (const file of files.slice(ANALYSES)) await run(clean, { path: file }, { auto: true });
      } finally {
        await clean.close();
      }
      const [actual, expected] = [await contactsByEmail(db), await contactsByEmail(reference)];
      expect(actual.length).toBe(expected.length);
      expect(digest(actual)).toBe(digest(expected));
    } finally {
      await reference.drop();
    }
  }, 180_000);

  it('two `run --queue` cron invocations of one file at once make one import', async () => {
    if (!workers.some((w) => w.child.exitCode === null && w.child.signalCode === null)) startWorker();
    const file = path.join(scratch.dir, 'cron.csv');
    fs.writeFileSync(file, generateContacts({ rows: 5_000, seed: 7, local: 'cron-' }).csv);
    const before = (await db.query('SELECT id FROM contact_imports')).length;
    const cron = () => spawnCli(['run', file, '--auto', '--queue', '--json'], { cwd: scratch.dir, env });
    const [a, b] = [cron(), cron()];
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect(ea.code, a.stderr()).toBe(0);
    expect(eb.code, b.stderr()).toBe(0);
    expect(a.json().importId).toBe(b.json().importId);
    expect(a.json().imported).toBeGreaterThan(0);
    const runs = await db.query('SELECT id FROM contact_imports');
    expect(runs.length - before).toBe(1);
  }, 90_000);
});
