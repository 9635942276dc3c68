import type { Command } from 'commander';
import { ImportError } from '../../errors.js';
import { importStatus, latestImportOf, type ImportStatus } from '../../pipeline/import-status.js';
import { status } from '../../pipeline/status.js';
import type { StatusResult } from '../../types.js';
import { withContext } from '../command-context.js';
import { cliHints } from '../ui/cli-hints.js';
import type { Output } from '../ui/output.js';
import { renderAnalysis } from '../ui/render-analysis.js';

interface StatusFlags {
  database?: string;
  schema?: string;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('progress of an analysis (by fileId) or of an import (by importId or fileId), or its result; works from another terminal')
    .argument('<id>', 'the fileId upload printed, or an importId')
    .option('--database <url>', 'for imports: the database they went to (default: DATABASE_URL, else sqlite:contacts.db)')
    .option('--schema <name>', 'for imports: PostgreSQL schema holding the tables')
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import status file_0b8e… --json            # the analysis, and the file's import once there is one
  $ contact-import status import_5f0c… --database sqlite:crm.db`,
    )
    .action(async (id: string, flags: StatusFlags, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        if (id.startsWith('import_')) {
          const run = await importStatus(ctx, id, flags);
          output.result(run, () => renderImportStatus(output, run));
          return;
        }
        // A completed import removes the session: the database still knows the fileId.
        const [analysis, run] = await Promise.all([
          status(ctx, id).catch((error: unknown) => error as Error),
          latestImportOf(ctx, id, flags).catch(() => null),
        ]);
        if (analysis instanceof Error) {
          if (!run || !(analysis instanceof ImportError) || analysis.code !== 'NOT_FOUND') throw analysis;
          output.result({ import: run }, () => renderImportStatus(output, run));
          return;
        }
        const result: StatusResult & { import?: ImportStatus } = run ? { ...analysis, import: run } : analysis;
        output.result(result, () => {
          const line = `analysis ${analysis.status}: ${analysis.progress}% · ${analysis.processed} rows`;
          output.print(analysis.status === 'error' ? output.resultStyle.red(line) : line);
          const next = analysis.next && cliHints.next?.(analysis.next);
          if (analysis.message) output.info(next ? `${analysis.message}: ${next}` : analysis.message);
          if (analysis.summary && !run) renderAnalysis(output, analysis.summary);
          if (run) renderImportStatus(output, run);
        });
      });
    });
}

function renderImportStatus(output: Output, run: ImportStatus): void {
  const state = run.stopped ? 'stopped' : run.status;
  output.print(`import ${run.importId} ${state}: ${run.progress}% · ${run.rowsDone}/${run.totalRows} rows`);
  output.print(`  imported ${run.imported} · updated ${run.updated} · skipped ${run.skipped}${run.table ? ` · table ${run.table}` : ''}`);
  if (run.stopped) output.info(output.style.dim('its process is gone: running the same import again resumes it'));
}
