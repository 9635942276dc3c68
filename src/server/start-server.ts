import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ConfigOptions, ServerConfig } from '../config.js';
import { resolveServerConfig, type ServerConfigOptions } from '../config.js';
import { ImportError } from '../errors.js';
import { openJobRunner } from '../jobs/open-job-runner.js';
import { openContext } from '../pipeline/context.js';
import { createServer } from './create-server.js';

export interface StartServerOptions {
  /** The pipeline's settings (home, storage, state, database…), as for every command. */
  pipeline?: ConfigOptions;
  server?: ServerConfigOptions;
  logger?: boolean | { level: string };
}

export interface RunningServer {
  app: FastifyInstance;
  config: ServerConfig;
  /** http://host:port */
  url: string;
  /**
   * Graceful stop: no new requests; jobs and long requests are aborted at their next
   * checkpoint and record how far they got; running requests get their answer; stores closed.
   */
  close(): Promise<void>;
}

/** Opens the stores, starts the job runner and listens. Refuses a non-loopback address without an API key. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = resolveServerConfig(options.server);
  if (!config.apiKey && !isLoopback(config.host)) {
    throw new ImportError('NOT_CONFIGURED', `refusing to listen on ${config.host} without an API key: anyone who can reach it could write contacts`, {
      hint: 'set CONTACT_IMPORT_API_KEY (clients then send Authorization: Bearer <key>), or listen on 127.0.0.1',
    });
  }
  const ctx = openContext(options.pipeline ?? {});
  const shutdown = new AbortController();
  let app: FastifyInstance | undefined;
  // In this process, or on the BullMQ queue (REDIS_URL) for `contact-import worker` processes too.
  const jobs = openJobRunner(ctx, {
    concurrency: config.concurrency,
    onUnexpectedError: (error, job) => app?.log.error({ err: error, job: job.id }, 'job failed unexpectedly'),
  });
  try {
    app = await createServer({ ctx, jobs, config, shutdown: shutdown.signal, logger: options.logger });
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await jobs.close();
    await app?.close().catch(() => undefined);
    await ctx.close();
    throw listenError(error, config);
  }
  const address = app.server.address() as net.AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const started = app;
  let closing: Promise<void> | undefined;
  return {
    app: started,
    config,
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= (async () => {
        shutdown.abort();
        // In parallel: requests may be waiting on a job's records, jobs on nothing but themselves.
        await Promise.all([started.close(), jobs.close()]);
        await ctx.close();
      })();
      return closing;
    },
  };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  return bare === '::1';
}

function listenError(error: unknown, config: ServerConfig): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ImportError('IO', `port ${config.port} on ${config.host} is already in use`, { hint: 'set PORT to another port', cause: error });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'EACCES') {
    return new ImportError('IO', `cannot listen on ${config.host}:${config.port} (${code})`, { hint: 'check HOST and PORT', cause: error });
  }
  return error;
}
