import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ImportError } from '../errors.js';

/** Compares in constant time (digests first, so lengths never leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The token a local upload URL carries, so a browser can PUT the bytes without the API key
 * (as it PUTs to a presigned S3 URL): valid for that fileId only.
 */
export function uploadToken(apiKey: string, fileId: string): string {
  return createHmac('sha256', apiKey).update(`upload:${fileId}`).digest('base64url');
}

/**
 * An onRequest hook: with a key configured, /api routes need `Authorization: Bearer <key>`
 * (or, for PUT /api/files/:fileId, the URL's upload token). Preflights carry no credentials.
 */
export function requireApiKey(apiKey: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.method === 'OPTIONS' || !request.url.startsWith('/api/')) return;
    const header = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (bearer !== undefined && sameSecret(bearer, apiKey)) return;
    const upload = /^\/api\/files\/([^/?]+)\?(.*)$/.exec(request.url);
    if (request.method === 'PUT' && upload) {
      const token = new URLSearchParams(upload[2]).get('token');
      if (token && sameSecret(token, uploadToken(apiKey, decodeURIComponent(upload[1]!)))) return;
    }
    throw new ImportError('UNAUTHORIZED', bearer === undefined ? 'this server needs an API key' : 'the API key is not valid', {
      hint: 'send Authorization: Bearer <CONTACT_IMPORT_API_KEY>',
    });
  };
}
