import type { FastifyInstance } from 'fastify';
import { history } from '../../pipeline/history.js';
import type { ServerDeps } from '../server-deps.js';

type Check = 'ok' | 'unavailable';

/** Health (state, files and database reachable) and the API description. */
export async function serviceRoutes(app: FastifyInstance, { ctx }: ServerDeps): Promise<void> {
  app.get('/healthz', { schema: { summary: 'whether the state, the file storage and the database answer' } }, async (_request, reply) => {
    const checks: Record<'state' | 'files' | 'database', Check> = {
      state: await check(app, 'state', () => ctx.state.get('healthz')),
      files: await check(app, 'files', () => ctx.files.stat('healthz')),
      database: await check(app, 'database', () => history(ctx, { limit: 1 })),
    };
    const ok = Object.values(checks).every((c) => c === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** The reason goes to the log, not to an unauthenticated client. */
async function check(app: FastifyInstance, name: string, probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return 'ok';
  } catch (error) {
    app.log.warn({ check: name, reason: error instanceof Error ? error.message : String(error) }, 'health check failed');
    return 'unavailable';
  }
}
