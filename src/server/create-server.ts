import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Context } from '../pipeline/context.js';
import { VERSION } from '../version.js';
import { requireApiKey } from './auth.js';
import { toHttpError } from './http-error.js';
import { registerRateLimits } from './rate-limits.js';
import { analysisRoutes } from './routes/analysis-routes.js';
import { importRoutes } from './routes/import-routes.js';
import { mappingRoutes } from './routes/mapping-routes.js';
import { previewRoutes } from './routes/preview-routes.js';
import { serviceRoutes } from './routes/service-routes.js';
import { uploadRoutes } from './routes/upload-routes.js';
import type { ServerDeps } from './server-deps.js';

/** "body has an unknown field \"bogus\"", "body/fileSize must be integer": what to fix, named. */
function describeSchemaError(error: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }, dataVar: string): string {
  const where = `${dataVar}${error.instancePath}`;
  if (error.keyword === 'additionalProperties') return `${where} has an unknown field "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'required') return `${where} needs the field "${String(error.params.missingProperty)}"`;
  return `${where} ${error.message ?? 'is not valid'}`;
}

export interface CreateServerOptions {
  ctx: Context;
  jobs: JobRunner;
  config: ServerConfig;
  shutdown: AbortSignal;
  /** Fastify's logger (pino): true for its defaults, false for none. */
  logger?: boolean | { level: string };
}

/** JSON bodies are small (the largest is an excludedRows list); files go to PUT /api/files. */
const BODY_LIMIT = 8 * 1024 * 1024;

/**
 * The HTTP skin over the library: one Fastify app, one plugin per route group. Bodies are
 * validated strictly (no coercion, no unknown fields); query strings and path parameters are
 * coerced from text, as they must be.
 */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const { ctx, jobs, config, shutdown } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    // Shut down with keep-alive clients connected: idle sockets are closed, busy ones finish.
    forceCloseConnections: 'idle',
    schemaErrorFormatter: (errors, dataVar) => new Error(errors.map((e) => describeSchemaError(e, dataVar)).join('; ')),
  });
  const strict = new Ajv({ removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false });
  const fromText = new Ajv({ removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false });
  for (const ajv of [strict, fromText]) ajv.addKeyword({ keyword: 'example' }).addKeyword({ keyword: 'summary' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : fromText).compile(schema));

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) request.log.error({ err: error }, body.error);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}`, code: 'NOT_FOUND', hint: 'the routes are listed at GET /openapi.json' }),
  );

  await app.register(swagger, {
    openapi: {
      info: { title: 'contact-import', version: VERSION, description: 'Upload, analyze, map, preview and import contact spreadsheets.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      ...(config.apiKey ? { security: [{ bearer: [] }] } : {}),
    },
  });
  // Before auth: a browser's preflight carries no credentials, and is answered right here.
  await app.register(cors, {
    origin: config.corsOrigins.includes('*') ? true : config.corsOrigins.length > 0 ? config.corsOrigins : false,
    methods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    exposedHeaders: ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    maxAge: 600,
  });
  if (config.apiKey) app.addHook('onRequest', requireApiKey(config.apiKey));
  const closeRateLimits = await registerRateLimits(app, config, ctx.config);
  app.addHook('onClose', closeRateLimits);

  const deps: ServerDeps = { ctx, jobs, config, shutdown };
  for (const routes of [uploadRoutes, analysisRoutes, mappingRoutes, previewRoutes, importRoutes, serviceRoutes]) {
    await app.register(async (scope) => routes(scope, deps));
  }
  return app;
}
