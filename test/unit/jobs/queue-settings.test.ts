import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config.js';
import { ImportError } from '../../../src/errors.js';
import { parseFailure } from '../../../src/jobs/bull-job-runner.js';
import { failureOf, isTransient } from '../../../src/jobs/job-failure.js';
import { importJobId } from '../../../src/jobs/job-ids.js';

describe('queue settings', () => {
  it('BullMQ with REDIS_URL, in-process without; prefix and timings from the environment', () => {
    expect(resolveConfig({ env: {} }).queue.kind).toBe('local');
    const queue = resolveConfig({ env: { REDIS_URL: 'redis://h:6379', REDIS_PREFIX: 'x:', JOB_LOCK_SECONDS: '3', JOB_STALLED_CHECK_SECONDS: '0.5', JOB_ATTEMPTS: '2', JOB_BACKOFF_SECONDS: '1' } }).queue;
    expect(queue).toEqual({ kind: 'bullmq', prefix: 'x:jobs', lockMs: 3000, stalledIntervalMs: 500, attempts: 2, backoffMs: 1000 });
    expect(resolveConfig({ env: { REDIS_URL: 'redis://h:6379', JOB_QUEUE: 'local' } }).queue.kind).toBe('local');
  });

  it('refuses a bad setting, and BullMQ without Redis', () => {
    expect(() => resolveConfig({ env: { JOB_QUEUE: 'bullmq' } })).toThrow(/needs REDIS_URL/);
    expect(() => resolveConfig({ env: { JOB_QUEUE: 'sqs' } })).toThrow(/JOB_QUEUE must be bullmq or local/);
    expect(() => resolveConfig({ env: { JOB_ATTEMPTS: '0' } })).toThrow(/JOB_ATTEMPTS must be a whole number/);
  });
});

describe('job ids', () => {
  it('the same work is the same id, in the form the import routes accept; other options another id', () => {
    const id = importJobId('file_a', { excludeRows: [3, 1, 3], onDuplicate: 'skip' });
    expect(id).toMatch(/^job_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(importJobId('file_a', { excludeRows: [1, 3] })).toBe(id);
    expect(importJobId('file_a', { excludeRows: [1, 3], onDuplicate: 'update' })).not.toBe(id);
    expect(importJobId('file_b', { excludeRows: [1, 3] })).not.toBe(id);
  });
});

describe('job failures', () => {
  it('retries what may pass (IO, LOCKED, the unexpected), not bad input', () => {
    expect(isTransient(new ImportError('IO', 'database unavailable'))).toBe(true);
    expect(isTransient(new ImportError('LOCKED', 'another import'))).toBe(true);
    expect(isTransient(new Error('ECONNRESET'))).toBe(true);
    for (const code of ['USAGE', 'UNSUPPORTED_FILE', 'UNREADABLE_FILE', 'NO_MAPPING', 'NOT_FOUND', 'TOO_LARGE'] as const) {
      expect(isTransient(new ImportError(code, 'x')), code).toBe(false);
    }
  });

  it('a failure survives BullMQ’s failedReason; BullMQ’s own reasons read as interruptions', () => {
    const failure = failureOf(new ImportError('EMPTY_FILE', 'no header row', { hint: 'set headerRow' }));
    expect(parseFailure(JSON.stringify(failure))).toEqual({ code: 'EMPTY_FILE', message: 'no header row', hint: 'set headerRow' });
    expect(parseFailure('job stalled more than allowable limit')).toEqual({ code: 'INTERRUPTED', message: 'job stalled more than allowable limit' });
  });
});
