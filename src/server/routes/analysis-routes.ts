import type { FastifyInstance } from 'fastify';
import { queueAnalysis } from '../../pipeline/queue-analysis.js';
import { status } from '../../pipeline/status.js';
import { ERRORS, FILE_ID, fileIdParams, resultOf } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';

/** The analysis job of a file. */
export const analysisJobId = (fileId: string) => `analyze:${fileId}`;

/** Seed Tasks 8 and 9: start an analysis as a job, follow it. */
export async function analysisRoutes(app: FastifyInstance, { ctx, jobs }: ServerDeps): Promise<void> {
  app.post<{ Body: { fileId: string; s3Key?: string } }>(
    '/api/analyze',
    {
      schema: {
        summary: 'analyze an uploaded file in the background (202 at once); follow it with the status route',
        body: {
          type: 'object',
          properties: { fileId: FILE_ID, s3Key: { type: 'string', maxLength: 1024 } },
          required: ['fileId'],
          additionalProperties: false,
        },
        response: { 202: resultOf('{status: "analyzing"}'), ...ERRORS },
      },
    },
    async (request, reply) => {
      const { fileId, s3Key } = request.body;
      // Asked twice while it runs: the same analysis, not a second one.
      if (!(await jobs.isActive(analysisJobId(fileId)))) {
        await queueAnalysis(ctx, fileId, { s3Key });
        await jobs.submit('analyze', analysisJobId(fileId), { fileId });
      }
      return reply.code(202).send({ status: 'analyzing' });
    },
  );

  app.get<{ Params: { fileId: string } }>(
    '/api/analyze/status/:fileId',
    {
      schema: {
        summary: 'progress of an analysis, or its summary, or why it failed',
        params: fileIdParams(),
        response: { 200: resultOf('{status, progress} | {status, summary} | {status, message}'), ...ERRORS },
      },
    },
    async (request) => {
      const result = await status(ctx, request.params.fileId);
      // The seed's three shapes.
      if (result.status === 'complete') return { status: result.status, summary: result.summary };
      if (result.status === 'error') return { status: result.status, message: result.message ?? 'analysis failed' };
      return {
        status: result.status,
        progress: { processed: result.processed, total: null, status: result.status, percent: result.progress },
        ...(result.message ? { message: result.message } : {}),
      };
    },
  );
}
