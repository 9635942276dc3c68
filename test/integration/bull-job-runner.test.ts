// BullJobRunner and startWorkers against the local Redis (a queue prefix of its own): derived
// ids enqueue once, transient failures are retried with backoff, bad input fails once and is
// kept with its error, a graceful stop puts a running job back on the queue, and `jobs` lists
// what is there.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../src/errors.js';
import { BullJobRunner } from '../../src/jobs/bull-job-runner.js';
import type { JobHandler, JobRecord } from '../../src/jobs/job-runner.js';
import { startWorkers } from '../../src/jobs/start-workers.js';
import { analysisJobId } from '../../src/jobs/job-ids.js';
import { pipelineJobs } from '../../src/jobs/pipeline-jobs.js';
import { openContext, type Context } from '../../src/pipeline/context.js';
import { queueAnalysis } from '../../src/pipeline/queue-analysis.js';
import { status } from '../../src/pipeline/status.js';
import { upload } from '../../src/pipeline/upload.js';
import type { StatusResult } from '../../src/types.js';
import { runCli, scratchDir } from '../helpers/cli.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import { spawnCli, until } from '../helpers/import-runs.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

let scratch: ReturnType<typeof scratchDir>;
let prefix: string;
let env: Record<string, string>;
let ctx: Context;
let queue: BullJobRunner;

const ended = (id: string) =>
  until(`job ${id} to end`, async () => {
    const job = await queue.get(id);
    return job && (job.status === 'completed' || job.status === 'failed') ? job : undefined;
  }, undefined, 20_000);

beforeAll(() => {
  scratch = scratchDir('ci-bull-');
  prefix = uniquePrefix('bull');
  env = { REDIS_URL, REDIS_PREFIX: prefix, JOB_BACKOFF_SECONDS: '0.2', JOB_ATTEMPTS: '4', JOB_LOCK_SECONDS: '10', JOB_STALLED_CHECK_SECONDS: '5' };
  ctx = openContext({ home: path.join(scratch.dir, 'home'), env });
  queue = new BullJobRunner(ctx.config);
});

afterAll(async () => {
  await queue?.close();
  await ctx?.close();
  const redis = rawClient();
  await deleteKeys(redis, prefix).catch(() => undefined);
  redis.disconnect();
  scratch?.cleanup();
});

describe('BullJobRunner', () => {
  it('queues a job once per id, retries transient failures with backoff, fails bad input once and keeps it', async () => {
    const tries: Record<string, number[]> = {};
    const handler: JobHandler<{ name: string }> = {
      async run({ name }) {
        (tries[name] ??= []).push(Date.now());
        if (name === 'flaky' && tries[name]!.length < 3) throw new ImportError('IO', 'PostgreSQL is unavailable');
        if (name === 'bad') throw new ImportError('UNSUPPORTED_FILE', 'not a spreadsheet', { hint: 'send a CSV' });
        return { ok: name };
      },
    };
    await queue.submit('import', 'job_flaky', { name: 'flaky' });
    const again = await queue.submit('import', 'job_flaky', { name: 'flaky' });
    expect(again).toMatchObject({ id: 'job_flaky', status: 'queued' });
    expect(await queue.isActive('job_flaky')).toBe(true);
    await queue.submit('import', 'job_bad', { name: 'bad' });

    const workers = startWorkers(ctx, { kinds: ['import'], concurrency: 2, handlers: { import: handler } });
    try {
      await workers.ready;
      const flaky = await ended('job_flaky');
      expect(flaky).toMatchObject({ status: 'completed', result: { ok: 'flaky' }, attempts: 3 });
      expect(tries.flaky).toHaveLength(3);
      // Exponential backoff from 0.2 s: 0.2 s, then 0.4 s.
      expect(tries.flaky![2]! - tries.flaky![0]!).toBeGreaterThanOrEqual(550);

      const bad = await ended('job_bad');
      expect(bad).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'UNSUPPORTED_FILE', message: 'not a spreadsheet', hint: 'send a CSV' } });
      expect(tries.bad).toHaveLength(1);
      expect(await queue.isActive('job_bad')).toBe(false);

      // Kept for inspection, and listed by `jobs` from another process.
      const listed = await runCli(['jobs', '--json'], { cwd: scratch.dir, env });
      expect(listed.code, listed.stderr).toBe(0);
      const jobs = JSON.parse(listed.stdout).jobs as JobRecord[];
      expect(jobs.map((j) => [j.id, j.status])).toEqual([['job_bad', 'failed']]);
      const human = await runCli(['jobs', '--status', 'failed', 'completed'], { cwd: scratch.dir, env });
      expect(human.stderr).toMatch(/job_bad.*failed.*UNSUPPORTED_FILE: not a spreadsheet/);
      expect(human.stderr).toMatch(/job_flaky.*completed/);

      // A finished job asked for again runs again (the import's own records say whether there is anything to do).
      await queue.submit('import', 'job_flaky', { name: 'flaky' });
      await until('the second run', async () => (tries.flaky!.length === 4 ? true : undefined), undefined, 10_000);
    } finally {
      await workers.close();
    }
  }, 60_000);

  it('a graceful stop puts the running job back on the queue (not failed) for the next worker', async () => {
    let started = 0;
    const handler: JobHandler<object> = {
      run: (_payload, { signal, progress }) =>
        new Promise((resolve, reject) => {
          started++;
          progress({ phase: 'import', rows: 10, bytes: 1, totalBytes: 2 });
          if (started > 1) return resolve({ done: true });
          signal.addEventListener('abort', () => reject(new ImportError('INTERRUPTED', 'import interrupted after 10 rows')));
        }),
    };
    await queue.submit('import', 'job_long', {});
    const first = startWorkers(ctx, { kinds: ['import'], concurrency: 1, handlers: { import: handler } });
    await until('the job to run', async () => ((await queue.get('job_long'))?.status === 'running' ? true : undefined), undefined, 10_000);
    expect((await queue.get('job_long'))?.progress).toMatchObject({ rows: 10 });
    await first.close();
    const after = await queue.get('job_long');
    expect(after).toMatchObject({ status: 'queued' });
    expect(after?.error).toBeUndefined();

    const second = startWorkers(ctx, { kinds: ['import'], concurrency: 1, handlers: { import: handler } });
    try {
      expect(await ended('job_long')).toMatchObject({ status: 'completed', result: { done: true } });
      expect(started).toBe(2);
    } finally {
      await second.close();
    }
  }, 30_000);

  it('an analysis whose worker process was killed is restarted by another worker, and its status says so', async () => {
    // Short locks of its own, so the takeover comes within seconds.
    const fast = { ...env, REDIS_PREFIX: `${prefix}fast:`, JOB_LOCK_SECONDS: '2', JOB_STALLED_CHECK_SECONDS: '1', CONTACT_IMPORT_HOME: path.join(scratch.dir, 'fast') };
    const fastCtx = openContext({ home: fast.CONTACT_IMPORT_HOME, env: fast });
    const fastQueue = new BullJobRunner(fastCtx.config);
    const file = path.join(scratch.dir, 'big.csv');
    fs.writeFileSync(file, generateContacts({ rows: 80_000, seed: 3 }).csv);
    const { fileId } = await upload(fastCtx, { path: file });
    await queueAnalysis(fastCtx, fileId);
    await fastQueue.submit('analyze', analysisJobId(fileId), { fileId });
    const victim = spawnCli(['worker'], { cwd: scratch.dir, env: fast });
    let seen: Promise<StatusResult> | undefined;
    const analyze = pipelineJobs(fastCtx).analyze;
    // The second worker reads the status as soon as its analysis is under way.
    const watched: JobHandler = {
      run: (payload, control) =>
        analyze.run(payload, {
          ...control,
          progress(event) {
            control.progress(event);
            seen ??= status(fastCtx, fileId);
          },
        }),
    };
    let second: ReturnType<typeof startWorkers> | undefined;
    try {
      await until('the analysis to run', async () => ((await fastQueue.get(analysisJobId(fileId)))?.status === 'running' ? true : undefined), victim, 30_000);
      victim.child.kill('SIGKILL');
      await victim.exited;
      second = startWorkers(fastCtx, { kinds: ['analyze'], concurrency: 1, handlers: { analyze: watched } });
      const job = await until('the analysis to end', async () => {
        const record = await fastQueue.get(analysisJobId(fileId));
        return record?.status === 'completed' || record?.status === 'failed' ? record : undefined;
      }, undefined, 30_000);
      expect(job).toMatchObject({ status: 'completed', note: expect.stringMatching(/worker stopped once/) });
      expect((await seen)?.message).toMatch(/restarted after its worker stopped/);
      expect((await status(fastCtx, fileId)).status).toBe('complete');
    } finally {
      if (victim.child.exitCode === null && victim.child.signalCode === null) victim.child.kill('SIGKILL');
      await second?.close();
      await fastQueue.close();
      await fastCtx.close();
    }
  }, 60_000);

  it('without Redis, worker and jobs say what they need', async () => {
    const worker = await runCli(['worker'], { cwd: scratch.dir, env: {} });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/REDIS_URL/);
    const queued = await runCli(['analyze', '--file-id', 'file_00000000-0000-4000-8000-000000000000', '--queue'], { cwd: scratch.dir, env: {} });
    expect(queued.stderr).toMatch(/REDIS_URL/);
  });
});
