import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/errors.js';
import type { JobControl, JobHandler } from '../../../src/jobs/job-runner.js';
import { jobKey, LocalJobRunner } from '../../../src/jobs/local-job-runner.js';
import { FileStateStore } from '../../../src/state/file-state-store.js';
import { scratchDir } from '../../helpers/cli.js';

const scratch = scratchDir('ci-jobs-');
afterAll(() => scratch.cleanup());

/** A job that runs until released (or aborted), recording how many ran at once. */
function gate() {
  let running = 0;
  let most = 0;
  const releases: Array<() => void> = [];
  const handler: JobHandler<{ n: number; fail?: boolean }> = {
    run: ({ n, fail }, control: JobControl) =>
      new Promise((resolve, reject) => {
        running++;
        most = Math.max(most, running);
        control.progress({ phase: 'analyze', rows: n, bytes: 0 });
        control.signal.addEventListener('abort', () => {
          running--;
          reject(new ImportError('INTERRUPTED', `job ${n} interrupted`));
        });
        releases.push(() => {
          running--;
          if (fail) reject(new ImportError('BAD_MAPPING', `job ${n} failed`, { hint: 'map it' }));
          else resolve({ n });
        });
      }),
  };
  return { handler, releases, most: () => most };
}

const until = async (check: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await check()).toBe(true);
};

describe('LocalJobRunner', () => {
  it('runs at most `concurrency` jobs at once, in submission order, recording each in the state', async () => {
    const state = new FileStateStore(path.join(scratch.dir, 'a'));
    const { handler, releases, most } = gate();
    const runner = new LocalJobRunner({ state, ttlSeconds: 60, concurrency: 2, handlers: { work: handler } });
    for (let n = 1; n <= 4; n++) expect((await runner.submit('work', `j${n}`, { n })).status).toBe('queued');
    await until(() => releases.length === 2);
    expect((await runner.get('j1'))?.status).toBe('running');
    expect((await runner.get('j3'))?.status).toBe('queued');
    releases[0]!();
    await until(() => releases.length === 3);
    await until(async () => (await runner.get('j1'))?.status === 'completed');
    expect(await state.get(jobKey('j1'))).toMatchObject({ status: 'completed', result: { n: 1 }, progress: { rows: 1 } });
    releases[1]!();
    releases[2]!();
    await until(() => releases.length === 4);
    releases[3]!();
    await until(async () => (await runner.get('j4'))?.status === 'completed');
    expect(most()).toBe(2);
    await runner.close();
  });

  it('a job of the same id still queued or running is not queued twice', async () => {
    const state = new FileStateStore(path.join(scratch.dir, 'b'));
    const { handler, releases } = gate();
    const runner = new LocalJobRunner({ state, ttlSeconds: 60, concurrency: 1, handlers: { work: handler } });
    await runner.submit('work', 'same', { n: 1 });
    await until(() => releases.length === 1);
    expect((await runner.submit('work', 'same', { n: 2 })).status).toBe('running');
    expect(await runner.isActive('same')).toBe(true);
    releases[0]!();
    await until(async () => (await runner.get('same'))?.status === 'completed');
    expect(await runner.isActive('same')).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(releases).toHaveLength(1);
    await runner.close();
  });

  it('a failure is recorded with its code and library hint', async () => {
    const state = new FileStateStore(path.join(scratch.dir, 'c'));
    const { handler, releases } = gate();
    const runner = new LocalJobRunner({ state, ttlSeconds: 60, concurrency: 1, handlers: { work: handler } });
    await runner.submit('work', 'bad', { n: 1, fail: true });
    await until(() => releases.length === 1);
    releases[0]!();
    await until(async () => (await runner.get('bad'))?.status === 'failed');
    expect((await runner.get('bad'))?.error).toEqual({ code: 'BAD_MAPPING', message: 'job 1 failed', hint: 'map it' });
    await runner.close();
  });

  it('close() aborts running jobs, waits for them, and abandons the queued ones', async () => {
    const state = new FileStateStore(path.join(scratch.dir, 'd'));
    const { handler, releases } = gate();
    const abandoned: string[] = [];
    const runner = new LocalJobRunner({
      state,
      ttlSeconds: 60,
      concurrency: 1,
      handlers: { work: { ...handler, abandon: async (payload: { n: number }, reason: string) => void abandoned.push(`${payload.n}: ${reason}`) } },
    });
    await runner.submit('work', 'running', { n: 1 });
    await runner.submit('work', 'waiting', { n: 2 });
    await until(() => releases.length === 1);
    await runner.close();
    expect(await runner.get('running')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(await runner.get('waiting')).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED', message: /before this job started/ } });
    expect(abandoned).toEqual(['2: the server stopped before this job started']);
    await expect(runner.submit('work', 'late', { n: 3 })).rejects.toThrow(/stopping/);
  });
});
