import type { Command } from 'commander';
import { openQueue } from '../../jobs/open-job-runner.js';
import { runQueued } from '../../jobs/queued-steps.js';
import { run } from '../../pipeline/run.js';
import { withContext } from '../command-context.js';
import { progressBar } from '../ui/progress.js';
import { renderImport } from '../ui/render-import.js';
import { addReadOptions, refuseQueuedRecordSize, type ReadFlags } from './analyze.js';
import { addImportOptions, importOptionsOf, warnUnmatchedExcludes, type ImportFlags } from './import.js';
import { addMappingOptions, mappingChoiceOf, type MappingFlags } from './map.js';
import { sourceOf } from './upload.js';

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('upload + analyze + map + import in one step, never prompting (for cron)')
    .argument('<path>', 'CSV, TSV, XLSX or XLS file; - reads standard input')
    .option('--filename <name>', 'with -: name to record for standard input')
    .option('--queue', 'analyze and import as jobs on the queue (REDIS_URL), done by `contact-import worker` processes');
  addMappingOptions(command);
  addReadOptions(command);
  addImportOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import run contacts.csv --auto
  $ contact-import run /data/export.csv --template crm --database sqlite:/var/lib/crm.db --max-invalid 5% --json`,
    )
    .action(async (path: string, flags: ImportFlags & MappingFlags & ReadFlags & { filename?: string; queue?: boolean }, cmd: Command) => {
      refuseQueuedRecordSize(flags);
      await withContext(cmd, async (ctx, output) => {
        const bar = progressBar(output);
        const queue = flags.queue ? openQueue(ctx) : undefined;
        const steps: typeof run = queue ? (c, source, options) => runQueued(c, queue, source, options).finally(() => queue.close()) : run;
        const result = await steps(ctx, sourceOf(path, flags.filename), {
          ...importOptionsOf(flags),
          ...mappingChoiceOf(flags),
          sheet: flags.sheet,
          encoding: flags.encoding,
          delimiter: flags.delimiter,
          headerRow: flags.headerRow,
          onProgress: bar.listener,
        }).finally(() => bar.stop());
        warnUnmatchedExcludes(output, flags.excludeRows, result.excluded);
        if (result.template && result.template.how !== 'given') output.warn(`using template "${result.template.name}" (${result.template.reason})`);
        if (output.json) for (const warning of result.warnings ?? []) output.warn(warning);
        output.result(result, () => renderImport(output, result));
      }, { maxRecordSize: flags.maxRecordSize });
    });
}
