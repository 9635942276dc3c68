import type { ImportRun } from '../../db/contact-store.js';
import type { ImportRunState } from '../../pipeline/run-liveness.js';
import type { Output } from './output.js';
import { renderTable, styled } from './table.js';

/** Past imports as a table on stdout, newest first; the notes under it on stderr. */
export function renderHistory(output: Output, runs: ImportRunState[]): void {
  if (runs.length === 0) {
    output.info('No imports recorded in this database.');
    return;
  }
  const style = output.resultStyle;
  const colour = (status: ImportRun['status']): string =>
    status === 'completed' ? style.green(status) : status === 'running' ? style.yellow(status) : status === 'undone' ? style.dim(status) : style.red(status);
  // A 'running' run whose process is gone (kill -9, a reboot) is waiting to be resumed.
  const shown = (run: ImportRunState): string => (run.stopped ? style.red('stopped') : colour(run.status));
  const rows = runs.map((run) => [
    run.importId,
    styled(shown(run)),
    run.fileName ?? '',
    run.table ?? '',
    run.startedAt.replace('T', ' ').slice(0, 19),
    `${run.rowsDone}/${run.totalRows}`,
    run.imported,
    run.updated,
    run.skipped,
  ]);
  output.print(renderTable(['import id', 'status', 'file', 'table', 'started (UTC)', 'rows', 'imported', 'updated', 'skipped'], rows, 40, new Set([0])));
  const unfinished = runs.find((run) => run.status === 'interrupted' || run.status === 'failed' || run.status === 'running');
  if (runs.some((run) => run.stopped)) {
    output.info(output.style.dim("'stopped': recorded as running, but its process is gone (killed, or the machine restarted)."));
  }
  if (unfinished) {
    output.info(output.style.dim('An unfinished import resumes when the same command runs again; contact-import undo <import id> removes what it wrote.'));
  }
}
