import type { Command } from 'commander';
import { ImportError } from '../../errors.js';
import { cleanupOlderThan, cleanupUpload } from '../../pipeline/cleanup.js';
import { withContext } from '../command-context.js';
import { parseDuration } from '../parse-duration.js';
import { safeText } from '../ui/safe-text.js';
import { formatBytes } from './upload.js';

interface CleanupFlags {
  fileId?: string;
  olderThan?: number;
  dryRun?: boolean;
}

export function registerCleanup(program: Command): void {
  program
    .command('cleanup')
    .description('delete stored uploads: one session’s file and state, or every upload older than an age')
    .option('--file-id <id>', 'delete this session: its stored file (local or S3) and its state')
    .option('--older-than <duration>', 'delete every stored upload and <home>/results report older than this, e.g. 12h, 7d, 2w (never through a symlink)', parseDuration)
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import cleanup --file-id file_0b8e…
  $ contact-import cleanup --older-than 7d --dry-run
  $ S3_BUCKET_NAME=contacts contact-import cleanup --older-than 30d --json`,
    )
    .action(async (flags: CleanupFlags, command: Command) => {
      if ((flags.fileId === undefined) === (flags.olderThan === undefined)) {
        throw new ImportError('USAGE', 'cleanup needs either --file-id ID or --older-than DURATION (not both)', {
          hint: 'contact-import cleanup --older-than 7d',
        });
      }
      await withContext(command, async (ctx, output) => {
        const options = { dryRun: flags.dryRun };
        const result =
          flags.fileId !== undefined
            ? await cleanupUpload(ctx, flags.fileId, options)
            : await cleanupOlderThan(ctx, flags.olderThan!, options);
        output.result(result, () => {
          const verb = result.dryRun ? 'would delete' : 'deleted';
          for (const file of result.deleted) {
            output.print(`${verb} ${safeText(file.key)}${file.size !== undefined ? ` (${formatBytes(file.size)})` : ''}`);
          }
          for (const fileId of result.sessions) output.print(`${result.dryRun ? 'would clear' : 'cleared'} session ${fileId}`);
          for (const skipped of result.skipped ?? []) output.warn(`left ${safeText(skipped)} alone: it is (or passes through) a symbolic link`);
          if (result.deleted.length === 0 && result.sessions.length === 0) output.info('nothing to delete');
        });
      });
    });
}
