import type { Command } from 'commander';
import { history } from '../../pipeline/history.js';
import { withContext } from '../command-context.js';
import { parsePositiveInt } from '../parse-options.js';
import { renderHistory } from '../ui/render-history.js';

interface HistoryFlags {
  database?: string;
  schema?: string;
  limit?: number;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('list past imports (status, counts, file, when) from contact_imports, newest first')
    .option('--database <url>', 'sqlite:path.db or postgres://user@host/db (default: DATABASE_URL, else sqlite:contacts.db)')
    .option('--schema <name>', 'PostgreSQL schema holding the tables')
    .option('--limit <n>', 'how many imports to list (default 20)', parsePositiveInt)
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import history
  $ contact-import history --database postgres://app@db.internal/crm --limit 5 --json`,
    )
    .action(async (flags: HistoryFlags, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const imports = await history(ctx, flags);
        output.result({ imports }, () => renderHistory(output, imports));
      });
    });
}
