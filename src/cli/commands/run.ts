import type { Command } from 'commander';
import { run } from '../../pipeline/run.js';
import { withContext } from '../command-context.js';
import { progressBar } from '../ui/progress.js';
import { renderImport } from '../ui/render-import.js';
import { addReadOptions, type ReadFlags } from './analyze.js';
import { addImportOptions, importOptionsOf, type ImportFlags } from './import.js';
import { addMappingOptions, mappingChoiceOf, type MappingFlags } from './map.js';
import { sourceOf } from './upload.js';

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('upload + analyze + map + import in one step, never prompting (for cron)')
    .argument('<path>', 'CSV, TSV, XLSX or XLS file; - reads standard input')
    .option('--filename <name>', 'with -: name to record for standard input')
    .option('--keep-upload', 'keep the stored copy of the file after a successful import');
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
    .action(async (path: string, flags: ImportFlags & MappingFlags & ReadFlags & { filename?: string; keepUpload?: boolean }, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const bar = progressBar(output);
        const result = await run(ctx, sourceOf(path, flags.filename), {
          ...importOptionsOf(flags),
          ...mappingChoiceOf(flags),
          sheet: flags.sheet,
          encoding: flags.encoding,
          delimiter: flags.delimiter,
          headerRow: flags.headerRow,
          keepUpload: flags.keepUpload,
          onProgress: bar.listener,
        }).finally(() => bar.stop());
        if (result.template && result.template.how !== 'given') output.warn(`using template "${result.template.name}" (${result.template.reason})`);
        if (output.json) for (const warning of result.warnings ?? []) output.warn(warning);
        output.result(result, () => renderImport(output, result));
      });
    });
}
