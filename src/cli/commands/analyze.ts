import type { Command } from 'commander';
import { ImportError } from '../../errors.js';
import { openQueue } from '../../jobs/open-job-runner.js';
import { analyzeQueued } from '../../jobs/queued-steps.js';
import { analyze } from '../../pipeline/analyze.js';
import { upload } from '../../pipeline/upload.js';
import { withContext } from '../command-context.js';
import { parsePositiveInt, parseSize } from '../parse-options.js';
import { interruptSignal } from '../interrupt.js';
import { progressBar } from '../ui/progress.js';
import { renderAnalysis } from '../ui/render-analysis.js';
import { sourceOf } from './upload.js';

export interface ReadFlags {
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  headerRow?: number;
  maxRecordSize?: number;
}

export function addReadOptions(command: Command): Command {
  return command
    .option('--sheet <name|index>', 'spreadsheet sheet, by name or 1-based index (default: the first)')
    .option('--encoding <name>', 'text encoding of a CSV, e.g. utf-8, windows-1252, utf-16le (default: detected)')
    .option('--delimiter <char>', 'CSV delimiter: , ; | or tab (default: detected)')
    .option('--header-row <n>', 'line (CSV) or sheet row of the column names, 1-based (default: detected, skipping a title block)', parsePositiveInt)
    .option(...MAX_RECORD_SIZE_OPTION);
}

/** The workers read a queued file with their own settings: a limit given here would not reach them. */
export function refuseQueuedRecordSize(flags: { queue?: boolean; maxRecordSize?: number }): void {
  if (flags.queue && flags.maxRecordSize !== undefined) {
    throw new ImportError('USAGE', '--max-record-size cannot be sent with --queue: the workers read the file with their own settings', {
      hint: 'leave out --max-record-size, or run without --queue',
    });
  }
}

/** On analyze, preview, import and run: every step that reads the file reads it alike. */
export const MAX_RECORD_SIZE_OPTION = [
  '--max-record-size <size>',
  'CSV: a record larger than this (e.g. 2MB, 512KB, bytes) is one rejected row; the rest imports (default: 1MB)',
  parseSize,
] as const;

export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description('stream a file once: rows, valid/invalid, duplicates, per-column profile, suggested mapping')
    .argument('[path]', 'a file to upload and analyze in one step')
    .option('--file-id <id>', 'an uploaded file')
    .option('--filename <name>', 'with a path of -: name to record for standard input')
    .option('--queue', 'analyze as a job on the queue (REDIS_URL), done by a `contact-import worker` process');
  addReadOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import analyze --file-id file_0b8e…
  $ contact-import analyze contacts.xlsx --sheet Leads --json`,
    )
    .action(async (path: string | undefined, flags: ReadFlags & { fileId?: string; filename?: string; queue?: boolean }, cmd: Command) => {
      if (Boolean(path) === Boolean(flags.fileId)) {
        throw new ImportError('USAGE', 'analyze needs either --file-id ID or a file path (not both)', {
          hint: 'contact-import analyze --file-id ID, or contact-import analyze contacts.csv',
        });
      }
      refuseQueuedRecordSize(flags);
      await withContext(cmd, async (ctx, output) => {
        const bar = progressBar(output);
        try {
          const fileId = flags.fileId ?? (await upload(ctx, sourceOf(path!, flags.filename), { onProgress: bar.listener, signal: interruptSignal(), encoding: flags.encoding })).fileId;
          const queue = flags.queue ? openQueue(ctx) : undefined;
          const steps: typeof analyze = queue ? (c, id, options) => analyzeQueued(c, queue, id, options).finally(() => queue.close()) : analyze;
          const summary = await steps(ctx, fileId, {
            ...flags,
            discardRefusedFile: flags.fileId === undefined,
            onProgress: bar.listener,
            signal: interruptSignal(),
          });
          bar.stop();
          output.result(summary, () => renderAnalysis(output, summary, flags.headerRow !== undefined));
        } finally {
          bar.stop();
        }
      }, { maxRecordSize: flags.maxRecordSize });
    });
}
