import type { Command } from 'commander';
import { preview } from '../../pipeline/preview.js';
import { withContext } from '../command-context.js';
import { commaList, parsePositiveInt } from '../parse-options.js';
import { ImportError } from '../../errors.js';
import { safeText } from '../ui/safe-text.js';
import { renderPreview } from '../ui/render-preview.js';
import { MAX_RECORD_SIZE_OPTION } from './analyze.js';

interface PreviewFlags {
  fileId: string;
  page?: number;
  pageSize?: number;
  invalidOnly?: boolean;
  columns?: string[];
  vertical?: boolean;
  maxRecordSize?: number;
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('show mapped rows page by page, with validity and reasons')
    .requiredOption('--file-id <id>', 'an analyzed file')
    .option('--page <n>', 'page number, from 1', parsePositiveInt, 1)
    .option('--page-size <n>', 'rows per page (at most 1000)', parsePositiveInt, 100)
    .option('--invalid-only', 'only rows that would be rejected: invalid ones and duplicates of an earlier row')
    .option('--columns <fields>', 'fields to show, comma-separated, e.g. email,firstName (default: every mapped field)', commaList)
    .option('--vertical', 'one record per block of "field | value" lines (as psql \\x), for wide files')
    .option(...MAX_RECORD_SIZE_OPTION)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import preview --file-id file_0b8e… --page 2
  $ contact-import preview --file-id file_0b8e… --invalid-only --json
  $ contact-import preview --file-id file_0b8e… --columns email,phone | less -S
  $ contact-import preview --file-id file_0b8e… --vertical`,
    )
    .action(async (flags: PreviewFlags, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const result = await preview(ctx, flags.fileId, flags);
        const { mappingSource: _source, ...json } = result;
        output.result(json, () => {
          const mapped = Object.keys(result.rows[0] ?? {}).filter((k) => !k.startsWith('_'));
          renderPreview(output, result, { fields: chosenFields(mapped, flags.columns), vertical: flags.vertical });
        });
      }, { maxRecordSize: flags.maxRecordSize });
    });
}

function chosenFields(mapped: string[], columns: string[] | undefined): string[] {
  if (!columns || mapped.length === 0) return mapped;
  const unknown = columns.filter((c) => !mapped.includes(c));
  if (unknown.length > 0) {
    throw new ImportError('USAGE', `--columns: ${unknown.map((c) => `"${safeText(c, 40)}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a mapped field`, {
      hint: `mapped fields: ${mapped.join(', ')}`,
    });
  }
  return columns;
}
