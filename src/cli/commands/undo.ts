import type { Command } from 'commander';
import { ImportError } from '../../errors.js';
import { findImport, undoImport } from '../../pipeline/history.js';
import { canPrompt, withContext } from '../command-context.js';
import { confirm } from '../ui/confirm.js';

interface UndoFlags {
  database?: string;
  schema?: string;
  yes?: boolean;
  force?: boolean;
}

export function registerUndo(program: Command): void {
  program
    .command('undo')
    .description('remove the contacts an import created and restore the ones it updated')
    .argument('<importId>', 'the importId import printed (see contact-import history)')
    .option('--database <url>', 'sqlite:path.db or postgres://user@host/db (default: DATABASE_URL, else sqlite:contacts.db)')
    .option('--schema <name>', 'PostgreSQL schema holding the tables')
    .option('--yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--force', 'undo even when contacts the import wrote were changed afterwards')
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import undo import_5f0c…
  $ contact-import undo import_5f0c… --database postgres://app@db.internal/crm --yes --json`,
    )
    .action(async (importId: string, flags: UndoFlags, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        if (!flags.yes) {
          if (!canPrompt(cmd)) {
            throw new ImportError('PROMPT_NEEDED', 'undo asks for confirmation, and there is no terminal to ask', {
              hint: `pass --yes to undo ${importId} without asking`,
            });
          }
          const run = await findImport(ctx, importId, flags);
          const question = `Undo ${run.importId} (${run.fileName ?? 'unknown file'}, ${run.status}): delete the ${run.imported} contacts it created and restore the ${run.updated} it updated?`;
          if (!(await confirm(output, question))) {
            throw new ImportError('CANCELLED', `undo of ${importId} cancelled; nothing was changed`);
          }
        }
        const result = await undoImport(ctx, importId, flags);
        output.result(result, () => {
          output.print(output.resultStyle.green(`Undid ${result.importId}.`));
          output.print(`  deleted    ${result.deleted}  (contacts it created, from ${result.table})`);
          output.print(`  restored   ${result.restored}  (contacts it updated)`);
          if (result.conflicts > 0) output.print(output.resultStyle.yellow(`  ${result.conflicts} of them had been changed since (--force)`));
        });
      });
    });
}
