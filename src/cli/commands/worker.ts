import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ImportError } from '../../errors.js';
import { JOB_KINDS, type JobKind } from '../../jobs/bull-job-runner.js';
import { startWorkers, type WorkerEvent } from '../../jobs/start-workers.js';
import { withContext } from '../command-context.js';
import { parsePositiveInt } from '../parse-options.js';
import type { Output } from '../ui/output.js';

interface WorkerFlags {
  concurrency?: number;
  queues: JobKind[];
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run queued analyses and imports (BullMQ on REDIS_URL) until stopped; run one on every machine that should work')
    .option('--concurrency <n>', 'jobs of each queue run at once (default: 1)', parsePositiveInt)
    .option('--queues <names>', `queues to take jobs from, comma-separated: ${JOB_KINDS.join(', ')}`, parseQueues, [...JOB_KINDS])
    .addHelpText(
      'after',
      `
SIGTERM or Ctrl-C stops gracefully: running imports stop after their current batch (recorded
as resumable), their jobs go back to the queue for another worker, and the worker exits 0.
A worker killed outright (kill -9, a lost machine) has its jobs taken over by another worker
after JOB_LOCK_SECONDS; an import resumes from its last checkpoint.

Examples:
  $ REDIS_URL=redis://queue:6379 S3_BUCKET_NAME=uploads DATABASE_URL=postgres://app@db/crm contact-import worker
  $ contact-import worker --queues import --concurrency 2`,
    )
    .action(async (flags: WorkerFlags, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        if (ctx.config.queue.kind !== 'bullmq') {
          throw new ImportError('NOT_CONFIGURED', 'worker needs the job queue on Redis', { hint: 'set REDIS_URL=redis://host:6379 (and unset JOB_QUEUE=local)' });
        }
        const workers = startWorkers(ctx, {
          kinds: flags.queues,
          concurrency: flags.concurrency ?? 1,
          onEvent: (event) => report(output, event),
        });
        await workers.ready;
        output.info(`worker ${process.pid}: taking ${flags.queues.join(', ')} jobs (${flags.concurrency ?? 1} at a time); SIGTERM stops gracefully`);
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.removeListener('SIGINT', stop).removeListener('SIGTERM', stop);
            process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(130));
            output.info('stopping: running jobs stop at their next checkpoint and go back to the queue');
            workers.close().then(resolve, resolve);
          };
          process.on('SIGINT', stop).on('SIGTERM', stop);
        });
      });
    });
}

function parseQueues(value: string): JobKind[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(JOB_KINDS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`expected some of ${JOB_KINDS.join(', ')}`);
  return [...new Set(names)] as JobKind[];
}

function report(output: Output, event: WorkerEvent): void {
  if (output.json) return;
  if (event.type === 'error') return output.warn(`queue: ${event.message}`);
  const { job } = event;
  const line = `${event.type} ${job.kind} ${job.id}${job.attempts && job.attempts > 1 ? ` (attempt ${job.attempts})` : ''}`;
  if (event.type === 'failed') return output.warn(`${line}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}${event.willRetry ? ' (will retry)' : ''}`);
  output.info(line);
}
