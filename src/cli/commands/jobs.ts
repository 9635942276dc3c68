import type { Command } from 'commander';
import { Option } from 'commander';
import { ImportError } from '../../errors.js';
import { BullJobRunner } from '../../jobs/bull-job-runner.js';
import { withContext } from '../command-context.js';
import { parsePositiveInt } from '../parse-options.js';
import { renderTable } from '../ui/table.js';

const STATES = { queued: ['waiting', 'delayed', 'prioritized'], active: ['active'], failed: ['failed'], completed: ['completed'] } as const;
type Shown = keyof typeof STATES;

export function registerJobs(program: Command): void {
  program
    .command('jobs')
    .description('queued, active and failed analyses and imports on the job queue (REDIS_URL), from any machine')
    .addOption(new Option('--status <states...>', 'which jobs (default: queued active failed)').choices(Object.keys(STATES)))
    .option('--limit <n>', 'at most this many of each state and queue (default: 100)', parsePositiveInt)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import jobs
  $ contact-import jobs --status failed --json`,
    )
    .action(async (flags: { status?: Shown[]; limit?: number }, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        if (ctx.config.queue.kind !== 'bullmq') {
          throw new ImportError('NOT_CONFIGURED', 'jobs lists the job queue on Redis', { hint: 'set REDIS_URL=redis://host:6379 (and unset JOB_QUEUE=local)' });
        }
        const queue = new BullJobRunner(ctx.config);
        try {
          const shown = flags.status ?? ['queued', 'active', 'failed'];
          const jobs = await queue.list(shown.flatMap((state) => [...STATES[state]]), flags.limit ?? 100);
          output.result({ jobs }, () => {
            if (jobs.length === 0) return output.info(`no ${shown.join(', ')} jobs`);
            const rows = jobs.map((job) => [
              job.id,
              job.kind,
              job.status,
              job.progress ? `${job.progress.rows} rows` : '',
              job.attempts ?? 0,
              job.submittedAt,
              job.error ? `${job.error.code}: ${job.error.message}` : (job.note ?? ''),
            ]);
            output.info(renderTable(['job', 'kind', 'status', 'progress', 'tries', 'submitted', 'error / note'], rows, 60, new Set([0])));
          });
        } finally {
          await queue.close();
        }
      });
    });
}
