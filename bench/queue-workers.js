// The queue step of `npm run bench` (issue 18): FILES files of ROWS rows each, uploaded first,
// then analyzed and imported as BullMQ jobs on Redis by 1, then 2, `contact-import worker`
// processes (the built binary) into PostgreSQL. Reports files/min for each and the speed-up;
// then kills (SIGKILL) a worker mid-import and measures the time until the other worker has
// taken the import over and committed its next batch (JOB_LOCK_SECONDS and
// JOB_STALLED_CHECK_SECONDS decide most of it). Alone: node bench/queue-workers.js [rows] [files]
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateContacts } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'contact-import.js');
const dist = (name) => import(path.join(here, '..', 'dist', name));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function queueWorkers({ rows, files, out, env, pgUrl, redisUrl, log }) {
  const [{ openContext }, { BullJobRunner }, { analysisJobId, importJobId }, { queueAnalysis }, { resolveMapping, saveMapping }, { requireAnalysis }, { upload }] =
    await Promise.all(['pipeline/context.js', 'jobs/bull-job-runner.js', 'jobs/job-ids.js', 'pipeline/queue-analysis.js', 'pipeline/map.js', 'pipeline/session.js', 'pipeline/upload.js'].map(dist));
  const csvs = [];
  for (let i = 0; i < files; i++) {
    const csv = path.join(out, `queue-${rows}-${i}.csv`);
    if (!fs.existsSync(csv)) generateContacts(csv, rows, 1000 + i);
    csvs.push(csv);
  }

  /** One setting of the queue: its own Redis prefix, home and PostgreSQL schema. */
  async function setup(label) {
    const schema = `bench_queue_${crypto.randomBytes(4).toString('hex')}`;
    const home = path.join(out, `home-queue-${label}`);
    fs.rmSync(home, { recursive: true, force: true });
    const runEnv = {
      ...env,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `bench-queue:${crypto.randomUUID()}:`,
      DATABASE_URL: `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`,
      CONTACT_IMPORT_HOME: home,
      JOB_LOCK_SECONDS: process.env.JOB_LOCK_SECONDS ?? '10',
      JOB_STALLED_CHECK_SECONDS: process.env.JOB_STALLED_CHECK_SECONDS ?? '5',
    };
    const ctx = openContext({ home, env: runEnv });
    const queue = new BullJobRunner(ctx.config);
    const db = new pg.Client({ connectionString: pgUrl });
    await db.connect();
    const workers = [];
    return {
      ctx,
      queue,
      db,
      schema,
      startWorker() {
        const child = spawn(process.execPath, [BIN, 'worker'], { env: runEnv, stdio: ['ignore', 'ignore', 'ignore'] });
        const exited = new Promise((resolve) => child.on('close', resolve));
        workers.push({ child, exited });
        return child;
      },
      async close() {
        for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
        await queue.close();
        await ctx.close();
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
        await db.end();
        fs.rmSync(home, { recursive: true, force: true });
      },
    };
  }

  async function waitFor(queue, id) {
    for (;;) {
      const job = await queue.get(id);
      if (job?.status === 'completed') return job;
      if (job?.status === 'failed') throw new Error(`${id} failed: ${JSON.stringify(job.error)}`);
      await sleep(100);
    }
  }

  /** Each file: analysis job, auto mapping, import job. Returns the wall time of all of it. */
  async function throughput(workerCount) {
    const s = await setup(`w${workerCount}`);
    try {
      const fileIds = [];
      for (const csv of csvs) fileIds.push((await upload(s.ctx, { path: csv })).fileId);
      for (let i = 0; i < workerCount; i++) s.startWorker();
      const started = performance.now();
      await Promise.all(
        fileIds.map(async (fileId) => {
          await analyzeThenQueueImport(s, fileId);
          await waitFor(s.queue, importJobId(fileId, {}));
        }),
      );
      return performance.now() - started;
    } finally {
      await s.close();
    }
  }

  /** Analyzes a file on the queue, maps it with the suggestions and queues its import. */
  async function analyzeThenQueueImport(s, fileId) {
    await queueAnalysis(s.ctx, fileId);
    await s.queue.submit('analyze', analysisJobId(fileId), { fileId });
    await waitFor(s.queue, analysisJobId(fileId));
    const { mapping } = await resolveMapping(s.ctx, await requireAnalysis(s.ctx, fileId), { auto: true });
    await saveMapping(s.ctx, fileId, mapping);
    await s.queue.submit('import', importJobId(fileId, {}), { fileId, options: {} });
  }

  /** kill -9 the worker importing a file; the time until another worker committed a batch of it. */
  async function deathToResume() {
    const s = await setup('death');
    try {
      const { fileId } = await upload(s.ctx, { path: csvs[0] });
      const first = s.startWorker();
      await analyzeThenQueueImport(s, fileId);
      const second = s.startWorker();
      const runs = async () =>
        (await s.db.query(`SELECT owner, rows_done, total_rows, status FROM ${s.schema}.contact_imports`).catch(() => ({ rows: [] }))).rows;
      let killedAt;
      let doneBefore;
      while (killedAt === undefined) {
        const [run] = await runs();
        if (run?.status === 'running' && run.rows_done > 0 && run.rows_done < run.total_rows) {
          const pid = Number(String(run.owner).split(':').pop());
          const victim = [first, second].find((c) => c.pid === pid);
          if (victim) {
            victim.kill('SIGKILL');
            killedAt = performance.now();
            doneBefore = run.rows_done;
          }
        }
        if (run?.status === 'completed') throw new Error('the import finished before a worker could be killed: use more rows');
        await sleep(20);
      }
      for (;;) {
        const [run] = await runs();
        if (run && run.rows_done > doneBefore) return performance.now() - killedAt;
        await sleep(20);
      }
    } finally {
      await s.close();
    }
  }

  log(`queue: ${files} files × ${rows} rows, 1 worker`);
  const oneMs = await throughput(1);
  log(`queue: ${files} files × ${rows} rows, 2 workers`);
  const twoMs = await throughput(2);
  log('queue: kill -9 a worker mid-import');
  const resumeMs = await deathToResume();
  const perMinute = (ms) => Number(((files / ms) * 60_000).toFixed(2));
  return { oneMs, twoMs, filesPerMinute1: perMinute(oneMs), filesPerMinute2: perMinute(twoMs), speedup: Number((oneMs / twoMs).toFixed(2)), resumeMs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.join(here, 'out');
  fs.mkdirSync(out, { recursive: true });
  const result = await queueWorkers({
    rows: Number(process.argv[2] ?? 100_000),
    files: Number(process.argv[3] ?? 10),
    out,
    env: { ...process.env, MAX_ROWS_ALLOWED: '5000000', MAX_FILE_SIZE_MB: '2000' },
    pgUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    log: (text) => process.stderr.write(`${text}\n`),
  });
  console.log(JSON.stringify(result, null, 2));
}
