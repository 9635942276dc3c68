import type { Command } from 'commander';
import { startServer } from '../../server/start-server.js';
import { globalsOf } from '../command-context.js';
import { parsePositiveInt } from '../parse-options.js';

interface ServeFlags {
  host?: string;
  port?: number;
  concurrency?: number;
  database?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (the web frontend’s routes) over the same pipeline')
    .option('--host <address>', 'address to listen on (default: HOST, else 127.0.0.1; another address needs CONTACT_IMPORT_API_KEY)')
    .option('--port <n>', 'port (default: PORT, else 3000)', parsePort)
    .option('--concurrency <n>', 'analyses and async imports run at once (default: one per core)', parsePositiveInt)
    .option('--database <url>', 'sqlite:path.db or postgres://user@host/db (default: DATABASE_URL, else sqlite:contacts.db)')
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import serve
  $ CONTACT_IMPORT_API_KEY=… CORS_ORIGINS=https://app.example.com contact-import serve --host 0.0.0.0 --port 8080 --database postgres://app@db/crm`,
    )
    .action(async (flags: ServeFlags, cmd: Command) => {
      const globals = globalsOf(cmd);
      const server = await startServer({
        pipeline: { home: globals.home, storage: globals.storage, state: globals.state, defaultCountry: globals.defaultCountry, database: flags.database },
        server: { host: flags.host, port: flags.port, concurrency: flags.concurrency },
        logger: globals.quiet ? { level: 'warn' } : undefined,
      });
      // The first signal stops gracefully; a second one quits at once.
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.removeListener('SIGINT', stop).removeListener('SIGTERM', stop);
          process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(130));
          server.app.log.info('shutting down: running requests and jobs finish their current step');
          server.close().then(resolve, resolve);
        };
        process.on('SIGINT', stop).on('SIGTERM', stop);
      });
    });
}

function parsePort(value: string): number {
  return value === '0' ? 0 : parsePositiveInt(value);
}
