import { describe, expect, it } from 'vitest';
import { resolveServerConfig } from '../../../src/config.js';
import { ImportError, type ErrorCode } from '../../../src/errors.js';
import { toHttpError } from '../../../src/server/http-error.js';
import { serverHints } from '../../../src/server/server-hints.js';
import { isLoopback } from '../../../src/server/start-server.js';

describe('toHttpError', () => {
  it.each<[ErrorCode, number]>([
    ['USAGE', 400],
    ['BAD_MAPPING', 400],
    ['NOT_FOUND', 404],
    ['LOCKED', 409],
    ['CONFLICT', 409],
    ['TOO_LARGE', 413],
    ['UNSUPPORTED_FILE', 415],
    ['RATE_LIMITED', 429],
    ['UNAUTHORIZED', 401],
    ['IO', 503],
    ['NOT_CONFIGURED', 503],
    ['INTERNAL', 500],
  ])('%s → %i with the seed body', (code, status) => {
    const { status: got, body } = toHttpError(new ImportError(code, 'what happened', { hint: 'what to do' }));
    expect(got).toBe(status);
    expect(body).toEqual({ error: 'what happened', code, hint: 'what to do' });
  });

  it('renders hints in the API’s words: request fields, next steps as routes', () => {
    const error = new ImportError('USAGE', 'row 9 is not in the file', { hint: 'check excludeRows', options: ['excludeRows'], next: { step: 'preview', fileId: 'file_1' } });
    expect(toHttpError(error).body.hint).toBe('check excludedRows: GET /api/preview?fileId=file_1');
    expect(serverHints.next!({ step: 'undo', importId: 'import_1' })).toBe('POST /api/imports/import_1/undo');
  });

  it('an unknown error is a 500 that says nothing of the server’s insides', () => {
    const { status, body } = toHttpError(new TypeError("Cannot read properties of undefined (reading 'x') at /srv/app/dist/x.js:1"));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toMatch(/undefined|dist/);
  });

  it('a store the server reaches directly being down is a 503', () => {
    expect(toHttpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' })).status).toBe(503);
  });
});

describe('server configuration', () => {
  it('reads PORT, HOST, CONTACT_IMPORT_API_KEY, CORS_ORIGINS, ENABLE_RATE_LIMITING; flags win', () => {
    const env = { PORT: '8080', HOST: '0.0.0.0', CONTACT_IMPORT_API_KEY: 'k', CORS_ORIGINS: 'https://a.example, https://b.example', ENABLE_RATE_LIMITING: 'true' };
    expect(resolveServerConfig({ env, concurrency: 3 })).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      apiKey: 'k',
      corsOrigins: ['https://a.example', 'https://b.example'],
      rateLimiting: true,
      concurrency: 3,
    });
    expect(resolveServerConfig({ env, port: 0, host: '127.0.0.1' })).toMatchObject({ port: 0, host: '127.0.0.1' });
    expect(resolveServerConfig({ env: {} })).toMatchObject({ port: 3000, host: '127.0.0.1', apiKey: undefined, corsOrigins: [], rateLimiting: false });
  });

  it('refuses a bad PORT or ENABLE_RATE_LIMITING with a message', () => {
    expect(() => resolveServerConfig({ env: { PORT: 'http' } })).toThrow(/PORT must be a port number/);
    expect(() => resolveServerConfig({ env: { ENABLE_RATE_LIMITING: 'yes' } })).toThrow(/ENABLE_RATE_LIMITING must be true or false/);
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});
