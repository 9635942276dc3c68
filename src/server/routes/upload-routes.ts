import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { receiveUpload } from '../../pipeline/receive-upload.js';
import { reserveUpload, type ReservedUpload } from '../../pipeline/reserve-upload.js';
import { uploadToken } from '../auth.js';
import { ERRORS, fileIdParams, resultOf } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';
import { rateLimit } from '../rate-limits.js';

interface UploadBody {
  filename: string;
  fileType: string;
  fileSize: number;
}

/** Seed Task 7, and where a browser PUTs the bytes when files live on this server's disk. */
export async function uploadRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { ctx, config } = deps;

  app.post<{ Body: UploadBody }>(
    '/api/upload',
    {
      config: rateLimit(config, 'upload'),
      schema: {
        summary: 'open an upload: a URL to PUT the file to',
        body: {
          type: 'object',
          properties: {
            filename: { type: 'string', minLength: 1, maxLength: 255 },
            fileType: { type: 'string', minLength: 1, maxLength: 255, description: 'the Content-Type the PUT will send' },
            fileSize: { type: 'integer', minimum: 1, description: 'bytes' },
          },
          required: ['filename', 'fileType', 'fileSize'],
          additionalProperties: false,
        },
        response: { 200: resultOf('{uploadUrl, fileId, s3Key, expiresIn}'), ...ERRORS, 413: ERRORS[400], 415: ERRORS[400] },
      },
    },
    async (request) => {
      const { filename, fileType, fileSize } = request.body;
      const reserved = await reserveUpload(ctx, { fileName: filename, contentType: fileType, size: fileSize });
      return { uploadUrl: uploadUrlOf(request, reserved, config.apiKey), fileId: reserved.fileId, s3Key: reserved.s3Key, expiresIn: reserved.expiresIn };
    },
  );

  // The bytes are the body, whatever its type: the library sniffs what they are.
  await app.register(async (files) => {
    files.removeAllContentTypeParsers();
    files.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    files.put<{ Params: { fileId: string }; Querystring: { token?: string } }>(
      '/api/files/:fileId',
      {
        schema: {
          summary: 'the file’s bytes, for an upload opened on local storage (the uploadUrl)',
          params: fileIdParams(),
          querystring: { type: 'object', properties: { token: { type: 'string' } }, additionalProperties: false },
          response: { 200: resultOf('{fileId, s3Key, size, fileName}'), ...ERRORS, 409: ERRORS[400], 413: ERRORS[400], 415: ERRORS[400] },
        },
      },
      async (request) => {
        const body = (request.body as Readable | undefined) ?? request.raw;
        const length = Number(request.headers['content-length']);
        const stored = await receiveUpload(ctx, request.params.fileId, body, {
          size: Number.isFinite(length) ? length : undefined,
          signal: deps.shutdown,
        });
        return { fileId: stored.fileId, s3Key: stored.key, size: stored.size, fileName: stored.fileName };
      },
    );
  });
}

function uploadUrlOf(request: FastifyRequest, reserved: ReservedUpload, apiKey: string | undefined): string {
  if (reserved.storage === 's3') return reserved.uploadUrl;
  const url = new URL(`/api/files/${reserved.fileId}`, `${request.protocol}://${request.host}`);
  if (apiKey) url.searchParams.set('token', uploadToken(apiKey, reserved.fileId));
  return url.toString();
}
