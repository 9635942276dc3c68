import type { Command } from 'commander';
import { status } from '../../pipeline/status.js';
import { withContext } from '../command-context.js';
import { cliHints } from '../ui/cli-hints.js';
import { renderAnalysis } from '../ui/render-analysis.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('progress of a running analysis, or its result (works from another terminal)')
    .argument('<fileId>', 'the fileId upload printed')
    .addHelpText(
      'after',
      `
Example:
  $ contact-import status file_0b8e… --json`,
    )
    .action(async (fileId: string, _flags: unknown, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const result = await status(ctx, fileId);
        output.result(result, () => {
          const line = `${result.status}: ${result.progress}% · ${result.processed} rows`;
          output.info(result.status === 'error' ? output.style.red(line) : line);
          const next = result.next && cliHints.next?.(result.next);
          if (result.message) output.info(next ? `${result.message}: ${next}` : result.message);
          if (result.summary) renderAnalysis(output, result.summary);
        });
      });
    });
}
