import type { FastifyInstance } from 'fastify';
import { saveMapping } from '../../pipeline/map.js';
import { listTemplates } from '../../pipeline/templates.js';
import { SYSTEM_FIELDS } from '../../contacts/fields.js';
import { ERRORS, FILE_ID, resultOf } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';

interface MapBody {
  fileId: string;
  mapping: Record<string, string>;
  saveTemplate?: string;
}

/** Seed Task 10, and what a mapping screen needs: the fields and the saved templates. */
export async function mappingRoutes(app: FastifyInstance, { ctx }: ServerDeps): Promise<void> {
  app.post<{ Body: MapBody }>(
    '/api/map-columns',
    {
      schema: {
        summary: 'save the column → field mapping; validity over the sample rows',
        body: {
          type: 'object',
          properties: {
            fileId: FILE_ID,
            mapping: {
              type: 'object',
              description: 'column header → field key ("" leaves a column out)',
              additionalProperties: { type: 'string', maxLength: 100 },
              maxProperties: 10_000,
            },
            saveTemplate: { type: 'string', minLength: 1, maxLength: 100 },
          },
          required: ['fileId', 'mapping'],
          additionalProperties: false,
        },
        response: { 200: resultOf('{success, mapping, validRows, invalidRows}'), ...ERRORS },
      },
    },
    async (request) => {
      const { fileId, mapping, saveTemplate } = request.body;
      return saveMapping(ctx, fileId, mapping, { saveTemplate });
    },
  );

  app.get('/api/fields', { schema: { summary: 'the contact fields a column can be mapped to' } }, async () => ({
    fields: SYSTEM_FIELDS.map(({ key, label, required, type }) => ({ key, label, required, type })),
  }));

  app.get('/api/templates', { schema: { summary: 'saved mapping templates' } }, async () => ({
    templates: await listTemplates(ctx.config),
  }));
}
