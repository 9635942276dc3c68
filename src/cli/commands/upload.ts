import type { Command } from 'commander';
import { ImportError } from '../../errors.js';
import { presign } from '../../pipeline/presign.js';
import { upload, type UploadSource } from '../../pipeline/upload.js';
import { withContext } from '../command-context.js';
import { interruptSignal } from '../interrupt.js';
import { parsePositiveInt } from '../parse-options.js';
import { progressBar } from '../ui/progress.js';
import { safeText } from '../ui/safe-text.js';

interface UploadFlags {
  filename?: string;
  presign?: boolean;
  type?: string;
  size?: number;
  expiresIn?: number;
}

export function registerUpload(program: Command): void {
  program
    .command('upload')
    .description('store a file and print its fileId (on stdout, for scripts)')
    .argument('[path]', 'CSV, TSV, XLSX or XLS file; - reads standard input')
    .option('--filename <name>', 'name to record for the file (default: the path’s base name; stdin.csv for -)')
    .option('--presign', 'print a presigned S3 PUT URL for another client instead of uploading (needs S3 storage)')
    .option('--type <mime>', 'with --presign: the file’s content type')
    .option('--size <bytes>', 'with --presign: the file’s exact size in bytes (signed: S3 refuses another size)', parsePositiveInt)
    .option('--expires-in <seconds>', 'with --presign: how long the URL stays valid (default 3600, at most TTL_SECONDS)', parsePositiveInt)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import upload contacts.csv
  $ FILE_ID=$(contact-import upload contacts.csv) && contact-import analyze --file-id "$FILE_ID"
  $ curl -s https://example.com/export.csv | contact-import upload - --filename export.csv --json
  $ contact-import upload --presign --filename contacts.csv --type text/csv --size 52311 --json`,
    )
    .action(async (path: string | undefined, flags: UploadFlags, command: Command) => {
      if (flags.presign) return presignCommand(path, flags, command);
      if (!path) throw new ImportError('USAGE', 'upload needs a file path, or - to read standard input', { hint: 'contact-import upload contacts.csv' });
      const source = sourceOf(path, flags.filename);
      await withContext(command, async (ctx, output) => {
        const bar = progressBar(output);
        const result = await upload(ctx, source, { onProgress: bar.listener, signal: interruptSignal() }).finally(() => bar.stop());
        output.result(result, () => {
          output.info(`Uploaded ${safeText(result.fileName)} (${formatBytes(result.size)}) → ${output.style.bold(result.fileId)}`);
          output.info(output.style.dim(`next: contact-import analyze --file-id ${result.fileId}`));
        });
        if (!output.json) output.stdout.write(`${result.fileId}\n`);
      });
    });
}

async function presignCommand(path: string | undefined, flags: UploadFlags, command: Command): Promise<void> {
  if (path) throw new ImportError('USAGE', 'upload --presign takes no file path', { hint: 'another client PUTs the file to the printed URL' });
  if (!flags.filename || !flags.type || !flags.size) {
    throw new ImportError('USAGE', 'upload --presign needs --filename, --type and --size', {
      hint: 'contact-import upload --presign --filename contacts.csv --type text/csv --size 52311',
    });
  }
  const request = { fileName: flags.filename, contentType: flags.type, size: flags.size, expiresIn: flags.expiresIn };
  await withContext(command, async (ctx, output) => {
    const result = await presign(ctx, request);
    output.result(result, () => {
      output.info(`PUT ${safeText(request.fileName)} to the URL below within ${result.expiresIn} s, with the header Content-Type: ${safeText(request.contentType)}`);
      output.info(output.style.dim(`then: contact-import analyze --file-id ${result.fileId}`));
    });
    // For scripts: the fileId, then the URL (with --json, the object above instead).
    if (!output.json) output.stdout.write(`${result.fileId}\n${result.uploadUrl}\n`);
  });
}

export function sourceOf(path: string, fileName: string | undefined): UploadSource {
  if (path !== '-') return { path, fileName };
  if (process.stdin.isTTY) {
    throw new ImportError('USAGE', 'upload - reads the file from standard input, but it is a terminal', {
      hint: 'pipe the file in: cat contacts.csv | contact-import upload - --filename contacts.csv',
    });
  }
  return { stream: process.stdin, fileName: fileName ?? 'stdin.csv' };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
