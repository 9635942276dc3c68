import { Command, Option } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerCleanup } from './commands/cleanup.js';
import { registerHistory } from './commands/history.js';
import { registerImport } from './commands/import.js';
import { registerJobs } from './commands/jobs.js';
import { registerMap } from './commands/map.js';
import { registerPreview } from './commands/preview.js';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';
import { registerTemplates } from './commands/templates.js';
import { registerUndo } from './commands/undo.js';
import { registerServe } from './commands/serve.js';
import { registerUpload } from './commands/upload.js';
import { registerWorker } from './commands/worker.js';
import { VERSION } from '../version.js';
import { safeText } from './ui/safe-text.js';

export { VERSION };

export function createProgram(): Command {
  const program = new Command('contact-import')
    .description('Upload, analyze, map, preview and import contact spreadsheets (CSV, TSV, XLSX, XLS).')
    .version(VERSION)
    .option('--json', 'print one JSON document on stdout; everything for people goes to stderr')
    .option('--quiet', 'print only errors (and the JSON, with --json)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--no-input', 'never prompt; fail with exit 2 where a prompt would be needed')
    .option('--home <dir>', 'folder for state, uploads and templates (default: CONTACT_IMPORT_HOME, else ./.contact-import)')
    .addOption(new Option('--storage <kind>', 'where uploaded files live (default: s3 when S3_BUCKET_NAME is set)').choices(['local', 's3']))
    .addOption(new Option('--state <kind>', 'where session state lives (default: redis when REDIS_URL is set)').choices(['file', 'redis']))
    .option('--default-country <code>', "region for phone numbers without a country code, when the row's Country names none (default: DEFAULT_COUNTRY, else US)")
    .addOption(
      new Option('--on-invalid-value <policy>', 'a bad optional value (a phone, say): reject the row, or blank the value and import the contact (reported in the rejected-rows file)')
        .choices(['reject', 'blank'])
        .default('reject'),
    )
    .showHelpAfterError('(run with --help for usage)')
    // Commander quotes the offending argument: escape it like every error line (Output.error).
    .configureOutput({ outputError: (text, write) => write(text.split('\n').map((line) => safeText(line)).join('\n')) })
    .exitOverride()
    .addHelpText(
      'after',
      `
Example — from a file to contacts in SQLite:
  $ contact-import analyze contacts.csv          # prints a fileId and a profile
  $ contact-import map --file-id <fileId>         # asks which column is which field
  $ contact-import preview --file-id <fileId>
  $ contact-import import --file-id <fileId>      # into sqlite:contacts.db
  $ contact-import run contacts.csv --auto        # all of it, for cron
  $ contact-import history                        # past imports; undo <importId> reverts one`,
    );
  registerUpload(program);
  registerAnalyze(program);
  registerStatus(program);
  registerMap(program);
  registerPreview(program);
  registerImport(program);
  registerRun(program);
  registerHistory(program);
  registerUndo(program);
  registerCleanup(program);
  registerServe(program);
  registerTemplates(program);
  registerWorker(program);
  registerJobs(program);
  return program;
}
