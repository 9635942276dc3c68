import type { Command } from 'commander';
import { preview } from '../../pipeline/preview.js';
import { withContext } from '../command-context.js';
import { parsePositiveInt } from '../parse-options.js';
import { renderPreview } from '../ui/render-preview.js';

interface PreviewFlags {
  fileId: string;
  page?: number;
  pageSize?: number;
  invalidOnly?: boolean;
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('show mapped rows page by page, with validity and reasons')
    .requiredOption('--file-id <id>', 'an analyzed file')
    .option('--page <n>', 'page number, from 1', parsePositiveInt, 1)
    .option('--page-size <n>', 'rows per page (at most 1000)', parsePositiveInt, 100)
    .option('--invalid-only', 'only rows that would be rejected')
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import preview --file-id file_0b8e… --page 2
  $ contact-import preview --file-id file_0b8e… --invalid-only --json`,
    )
    .action(async (flags: PreviewFlags, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const result = await preview(ctx, flags.fileId, flags);
        const { mappingSource: _source, ...json } = result;
        output.result(json, () => {
          const fields = Object.keys(result.rows[0] ?? {}).filter((k) => !k.startsWith('_'));
          renderPreview(output, result, fields);
        });
      });
    });
}
