import type { Command } from 'commander';
import { importContacts, type ImportOptions } from '../../pipeline/import.js';
import type { OnDuplicate } from '../../types.js';
import type { Output } from '../ui/output.js';
import { withContext } from '../command-context.js';
import { interruptSignal } from '../interrupt.js';
import { oneOf, parseMaxInvalid, parsePositiveInt, parseRowList } from '../parse-options.js';
import { progressBar } from '../ui/progress.js';
import { renderImport } from '../ui/render-import.js';
import { MAX_RECORD_SIZE_OPTION } from './analyze.js';

export interface ImportFlags {
  database?: string;
  table?: string;
  schema?: string;
  excludeRows?: number[];
  onDuplicate?: OnDuplicate;
  dryRun?: boolean;
  errorsOut?: string;
  importedOut?: string;
  maxInvalid?: ImportOptions['maxInvalid'];
  batchSize?: number;
  keepUpload?: boolean;
}

export function addImportOptions(command: Command): Command {
  return command
    .option('--database <url>', 'sqlite:path.db or postgres://user@host/db (default: DATABASE_URL, else sqlite:contacts.db)')
    .option('--table <name>', 'contacts table name (default: contacts)')
    .option('--schema <name>', 'PostgreSQL schema for the tables, created if missing (default: ?schema= in the URL, else the search_path)')
    .option('--exclude-rows <rows>', 'data rows to leave out, e.g. 5,12,40-45 (numbered as preview shows them)', parseRowList)
    .option('--on-duplicate <mode>', 'an email already in the table: skip (default) or update its non-empty fields', oneOf(['skip', 'update'] as const))
    .option('--dry-run', 'do everything but commit')
    .option('--errors-out <file.csv>', 'write the rejected rows (original values, row number, fields, reasons) here (default: <home>/results/<importId>.rejected.csv)')
    .option('--imported-out <file.csv>', 'write the imported rows with their contact ids as CSV')
    .option('--max-invalid <n|p%>', 'abort with exit 3, writing nothing, when more rows than this are invalid', parseMaxInvalid)
    .option('--batch-size <n>', 'rows per transaction and checkpoint (default 10000 on SQLite, 5000 on PostgreSQL)', parsePositiveInt)
    .option('--keep-upload', 'keep the stored file and its session (until TTL_SECONDS) instead of deleting them, e.g. to import it into another database');
}

export function importOptionsOf(flags: ImportFlags): ImportOptions {
  return {
    database: flags.database,
    table: flags.table,
    schema: flags.schema,
    excludeRows: flags.excludeRows,
    onDuplicate: flags.onDuplicate,
    dryRun: flags.dryRun,
    errorsOut: flags.errorsOut,
    importedOut: flags.importedOut,
    maxInvalid: flags.maxInvalid,
    batchSize: flags.batchSize,
    keepUpload: flags.keepUpload,
    signal: interruptSignal(),
  };
}

export function registerImport(program: Command): void {
  const command = program
    .command('import')
    .description('import the mapped rows into the database')
    .requiredOption('--file-id <id>', 'a mapped file')
    .option(...MAX_RECORD_SIZE_OPTION);
  addImportOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import import --file-id file_0b8e…
  $ contact-import import --file-id file_0b8e… --database sqlite:crm.db --on-duplicate update --errors-out rejected.csv
  $ contact-import import --file-id file_0b8e… --database postgres://app@db.internal/crm --schema sales
  $ contact-import import --file-id file_0b8e… --dry-run --max-invalid 2% --json
  $ contact-import import --file-id file_0b8e… --keep-upload && contact-import import --file-id file_0b8e… --database sqlite:backup.db`,
    )
    .action(async (flags: ImportFlags & { fileId: string; maxRecordSize?: number }, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const bar = progressBar(output);
        const result = await importContacts(ctx, flags.fileId, { ...importOptionsOf(flags), onProgress: bar.listener }).finally(() =>
          bar.stop(),
        );
        warnUnmatchedExcludes(output, flags.excludeRows, result.excluded);
        output.result(result, () => renderImport(output, result));
      }, { maxRecordSize: flags.maxRecordSize });
    });
}

/** --exclude-rows naming rows the file does not have was silently ignored: say so. */
export function warnUnmatchedExcludes(output: Output, rows: number[] | undefined, excluded: number): void {
  const asked = new Set(rows ?? []).size;
  if (asked > excluded) {
    output.warn(`--exclude-rows: ${asked - excluded} of the ${asked} rows given are not data rows of this file; nothing was excluded for them`);
  }
}
