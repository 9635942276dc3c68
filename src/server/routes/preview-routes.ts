import type { FastifyInstance } from 'fastify';
import { preview } from '../../pipeline/preview.js';
import { MAX_PREVIEW_PAGE_SIZE } from '../../types.js';
import { ERRORS, FILE_ID, resultOf } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';

interface PreviewQuery {
  fileId: string;
  page?: number;
  pageSize?: number;
  invalidOnly?: boolean;
}

/** Seed Task 11: any page of the whole file, mapped and validated. */
export async function previewRoutes(app: FastifyInstance, { ctx }: ServerDeps): Promise<void> {
  app.get<{ Querystring: PreviewQuery }>(
    '/api/preview',
    {
      schema: {
        summary: 'one page of mapped rows',
        querystring: {
          type: 'object',
          properties: {
            fileId: FILE_ID,
            page: { type: 'integer', minimum: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: MAX_PREVIEW_PAGE_SIZE },
            invalidOnly: { type: 'boolean' },
          },
          required: ['fileId'],
          additionalProperties: false,
        },
        response: { 200: resultOf('{rows, total, page, pageSize, mappingSource}'), ...ERRORS },
      },
    },
    async (request) => {
      const { fileId, page, pageSize, invalidOnly } = request.query;
      return preview(ctx, fileId, { page, pageSize, invalidOnly });
    },
  );
}
