import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/pipeline/context.js';
import { lockImport } from '../../src/pipeline/import-lock.js';
import { startServer } from '../../src/server/start-server.js';
import { FIXTURES, scratchDir } from '../helpers/cli.js';
import { CONTACTS_CSV } from '../helpers/contacts-expectations.js';
import { closedPort, deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { rejectionOf } from '../helpers/import-error.js';
import { pollUntil, send, startTestServer, type ApiResponse, type TestServer } from '../helpers/server.js';

// Every error status the server gives, each from a real request: the seed's {error, code} body
// with the library's code, a message that names what to fix, and never a stack trace.

const KEY = 'test-key-0123456789';
const AUTH = { authorization: `Bearer ${KEY}` };
const ORIGIN = 'http://app.example.test';
const csv = fs.readFileSync(CONTACTS_CSV);
const scratch = scratchDir('ci-serve-errors-');
let server: TestServer;

function expectError(response: ApiResponse, status: number, code: string, message?: RegExp): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toMatchObject({ code, error: expect.any(String) });
  if (message) expect(response.body.error).toMatch(message);
  expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
}

beforeAll(async () => {
  server = await startTestServer({
    home: path.join(scratch.dir, 'home'),
    database: `sqlite:${path.join(scratch.dir, 'contacts.db')}`,
    env: { CONTACT_IMPORT_API_KEY: KEY, CORS_ORIGINS: ORIGIN, MAX_FILE_SIZE_MB: '1' },
    headers: AUTH,
  });
});
afterAll(async () => {
  await server?.close();
  scratch.cleanup();
});

async function uploaded(): Promise<string> {
  const opened = await server.request('POST', '/api/upload', { filename: 'contacts.csv', fileType: 'text/csv', fileSize: csv.length });
  const put = await send(opened.body.uploadUrl, 'PUT', csv, { 'content-type': 'text/csv' });
  expect(put.status, put.text).toBe(200);
  return opened.body.fileId;
}

async function analyzed(): Promise<string> {
  const fileId = await uploaded();
  expect((await server.request('POST', '/api/analyze', { fileId })).status).toBe(202);
  await pollUntil(() => server.request('GET', `/api/analyze/status/${fileId}`), (r) => r.body?.status === 'complete');
  return fileId;
}

describe('401: an API key is configured', () => {
  it('no key, a wrong key: 401; the right key, and /healthz without one: 200', async () => {
    expectError(await server.request('GET', '/api/fields', undefined, { authorization: '' }), 401, 'UNAUTHORIZED', /needs an API key/);
    expectError(await server.request('GET', '/api/fields', undefined, { authorization: 'Bearer nope' }), 401, 'UNAUTHORIZED', /not valid/);
    expect((await server.request('GET', '/api/fields')).status).toBe(200);
    expect((await send(`${server.url}/healthz`, 'GET')).status).toBe(200);
  });

  it('the local upload URL carries a token for its own fileId only', async () => {
    const a = await server.request('POST', '/api/upload', { filename: 'a.csv', fileType: 'text/csv', fileSize: csv.length });
    const b = await server.request('POST', '/api/upload', { filename: 'b.csv', fileType: 'text/csv', fileSize: csv.length });
    const token = new URL(a.body.uploadUrl).searchParams.get('token');
    expect(token).toBeTruthy();
    expectError(await send(`${server.url}/api/files/${b.body.fileId}?token=${token}`, 'PUT', csv, { 'content-type': 'text/csv' }), 401, 'UNAUTHORIZED');
    expect((await send(a.body.uploadUrl, 'PUT', csv, { 'content-type': 'text/csv' })).status).toBe(200);
  });

  it('a preflight needs no key; CORS answers only the configured origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/upload`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' } });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('400: bad input gets a message, never a 500', () => {
  it('malformed JSON, wrong types, unknown and missing fields, an oversize body', async () => {
    expectError(await server.request('POST', '/api/upload', '{"filename": "a.csv",', { 'content-type': 'application/json' }), 400, 'USAGE', /JSON/);
    expectError(await server.request('POST', '/api/upload', { filename: 'a.csv', fileType: 'text/csv', fileSize: '889' }), 400, 'USAGE', /body\/fileSize must be integer/);
    expectError(await server.request('POST', '/api/upload', { filename: 'a.csv', fileType: 'text/csv', fileSize: 1, bucket: 'x' }), 400, 'USAGE', /unknown field "bucket"/);
    expectError(await server.request('POST', '/api/analyze', {}), 400, 'USAGE', /needs the field "fileId"/);
    expectError(await server.request('POST', '/api/import', { fileId: 'file_x', excludedRows: 'all' }), 400, 'USAGE', /excludedRows must be array/);
    const huge = JSON.stringify({ fileId: 'file_x', excludedRows: Array.from({ length: 1_500_000 }, (_, i) => i + 1) });
    expectError(await server.request('POST', '/api/import', huge, { 'content-type': 'application/json' }), 400, 'USAGE', /too large/);
    expectError(await server.request('POST', '/api/map-columns', { fileId: 'file_x', mapping: '{"__proto__": {}}' }), 400, 'USAGE');
    expectError(await server.request('POST', '/api/map-columns', '{"fileId":"f","mapping":{"__proto__":{"x":1}}}', { 'content-type': 'application/json' }), 400, 'USAGE');
  });

  it('query strings are checked too: page 0, a page size over the maximum, an unknown parameter', async () => {
    expectError(await server.request('GET', '/api/preview?fileId=file_x&page=0'), 400, 'USAGE', /page must be >= 1/);
    expectError(await server.request('GET', '/api/preview?fileId=file_x&pageSize=5000'), 400, 'USAGE', /pageSize must be <= 1000/);
    expectError(await server.request('GET', '/api/preview?fileId=file_x&page=three'), 400, 'USAGE', /page must be integer/);
    expectError(await server.request('GET', '/api/preview?fileId=file_x&sort=email'), 400, 'USAGE', /unknown field "sort"/);
  });

  it('a mapping naming an unknown column or field, or leaving a required field out, is a 400 that names it', async () => {
    const fileId = await analyzed();
    const column = await server.request('POST', '/api/map-columns', { fileId, mapping: { Email: 'email' } });
    expectError(column, 400, 'BAD_MAPPING', /"Email"/);
    expect(column.body.column).toBe('Email');
    expectError(await server.request('POST', '/api/map-columns', { fileId, mapping: { 'Email Address': 'mail', 'First Name': 'firstName' } }), 400, 'BAD_MAPPING', /mail/);
    expectError(await server.request('POST', '/api/map-columns', { fileId, mapping: { 'Email Address': 'email' } }), 400, 'BAD_MAPPING', /First Name|firstName/);
    expectError(await server.request('POST', '/api/import', { fileId }), 400, 'NO_MAPPING');
  });
});

describe('404: unknown or expired ids, unknown routes', () => {
  it('status, preview, analyze, import of an unknown fileId; an unknown import; no such route', async () => {
    const unknown = 'file_00000000-0000-4000-8000-000000000000';
    expectError(await server.request('GET', `/api/analyze/status/${unknown}`), 404, 'NOT_FOUND', /unknown or expired fileId/);
    expectError(await server.request('GET', `/api/preview?fileId=${unknown}`), 404, 'NOT_FOUND');
    expectError(await server.request('POST', '/api/analyze', { fileId: unknown }), 404, 'NOT_FOUND');
    expectError(await server.request('POST', '/api/import', { fileId: unknown }), 404, 'NOT_FOUND');
    expectError(await server.request('GET', '/api/imports/import_00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectError(await server.request('GET', '/api/imports/job_00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expectError(await server.request('GET', '/api/imports/import_00000000-0000-4000-8000-000000000000/rejected.csv'), 404, 'NOT_FOUND');
    expectError(await server.request('GET', '/api/nothing'), 404, 'NOT_FOUND', /no route GET \/api\/nothing/);
  });

  it('an async import of an unknown fileId is accepted, then its job says why it failed', async () => {
    const accepted = await server.request('POST', '/api/import?async=1', { fileId: 'file_00000000-0000-4000-8000-000000000000' });
    expect(accepted.status, accepted.text).toBe(202);
    const failed = await pollUntil(() => server.request('GET', `/api/imports/${accepted.body.importId}`), (r) => r.body?.status === 'failed');
    expect(failed.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/unknown or expired fileId/) });
    expect(failed.text).not.toMatch(/\n\s+at /);
  });

  it('analyze before the bytes arrived: 404 at once, not a 202 that fails later', async () => {
    const opened = await server.request('POST', '/api/upload', { filename: 'late.csv', fileType: 'text/csv', fileSize: 10 });
    expectError(await server.request('POST', '/api/analyze', { fileId: opened.body.fileId }), 404, 'NOT_FOUND', /not arrived/);
  });
});

describe('409, 413, 415', () => {
  it('409: an import of the same file already running (the CLI’s lock); the bytes of a session sent twice', async () => {
    const fileId = await analyzed();
    expect((await server.request('POST', '/api/map-columns', { fileId, mapping: { 'Email Address': 'email', 'First Name': 'firstName' } })).status).toBe(200);
    const other = openContext({ home: server.home, env: {} });
    const lock = await lockImport(other, fileId);
    try {
      expectError(await server.request('POST', '/api/import', { fileId }), 409, 'LOCKED', /another import/);
    } finally {
      await lock.release();
      await other.close();
    }
    expect((await server.request('POST', '/api/import', { fileId, dryRun: true })).status).toBe(200);

    const opened = await server.request('POST', '/api/upload', { filename: 'twice.csv', fileType: 'text/csv', fileSize: csv.length });
    expect((await send(opened.body.uploadUrl, 'PUT', csv, { 'content-type': 'text/csv' })).status).toBe(200);
    expectError(await send(opened.body.uploadUrl, 'PUT', csv, { 'content-type': 'text/csv' }), 409, 'CONFLICT', /already been received/);
  });

  it('413: a declared size over MAX_FILE_SIZE_MB, and bytes over it', async () => {
    expectError(await server.request('POST', '/api/upload', { filename: 'big.csv', fileType: 'text/csv', fileSize: 2 * 1024 * 1024 }), 413, 'TOO_LARGE', /larger than 1 MB/);
    const opened = await server.request('POST', '/api/upload', { filename: 'big.csv', fileType: 'text/csv', fileSize: 1000 });
    const big = Buffer.concat([csv, Buffer.alloc(1024 * 1024 + 10, 'a')]);
    expectError(await send(opened.body.uploadUrl, 'PUT', big, { 'content-type': 'text/csv' }), 413, 'TOO_LARGE');
    expect(fs.existsSync(path.join(server.home, 'uploads')) ? fs.readdirSync(path.join(server.home, 'uploads'), { recursive: true }).filter((f) => String(f).includes('big')) : []).toEqual([]);
  });

  it('415: a type that is not a spreadsheet, bytes that are not one (a PNG named .csv), a JSON route sent XML', async () => {
    expectError(await server.request('POST', '/api/upload', { filename: 'p.png', fileType: 'image/png', fileSize: 100 }), 415, 'UNSUPPORTED_FILE');
    const opened = await server.request('POST', '/api/upload', { filename: 'picture.csv', fileType: 'text/csv', fileSize: 100 });
    const png = fs.readFileSync(path.join(FIXTURES, 'picture.csv'));
    expectError(await send(opened.body.uploadUrl, 'PUT', png, { 'content-type': 'text/csv' }), 415, 'UNSUPPORTED_FILE');
    expectError(await server.request('POST', '/api/analyze', '<fileId>x</fileId>', { 'content-type': 'application/xml' }), 415, 'USAGE', /Unsupported Media Type/i);
  });
});

describe('429: ENABLE_RATE_LIMITING, counted in Redis across servers', () => {
  const prefix = uniquePrefix('serve-rate');
  const redis = rawClient();
  const servers: TestServer[] = [];
  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      servers.push(
        await startTestServer({
          home: path.join(scratch.dir, `rate-${name}`),
          state: 'file',
          env: { ENABLE_RATE_LIMITING: 'true', REDIS_URL, REDIS_PREFIX: prefix },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('10 uploads an hour per client over both servers, then 429 with Retry-After; 5 imports', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const open = (s: TestServer) => s.request('POST', '/api/upload', { filename: 'c.csv', fileType: 'text/csv', fileSize: csv.length });
    for (let i = 0; i < 10; i++) expect((await open(i % 2 ? a : b)).status).toBe(200);
    const limited = await open(a);
    expectError(limited, 429, 'RATE_LIMITED', /at most 10/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await redis.keys(`${prefix}rate-limit:*`)).not.toEqual([]);

    const unknown = { fileId: 'file_00000000-0000-4000-8000-000000000000' };
    for (let i = 0; i < 5; i++) expect((await a.request('POST', '/api/import', unknown)).status).toBe(404);
    expectError(await a.request('POST', '/api/import', unknown), 429, 'RATE_LIMITED', /at most 5/);
    // Other routes are not limited.
    expect((await a.request('GET', '/api/fields')).status).toBe(200);
  });
});

describe('503: a service down', () => {
  it('state in a Redis nobody answers: the request and /healthz say so', async () => {
    const down = await startTestServer({ home: path.join(scratch.dir, 'down'), state: 'redis', env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
    try {
      expectError(await down.request('POST', '/api/upload', { filename: 'c.csv', fileType: 'text/csv', fileSize: 10 }), 503, 'IO', /Redis/);
      const health = await down.request('GET', '/healthz');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', checks: { state: 'unavailable', files: 'ok' } });
      expect(health.text).not.toMatch(/127\.0\.0\.1/);
    } finally {
      await down.close();
    }
  });
});

describe('starting', () => {
  it('refuses a non-loopback address without an API key, naming the fix', async () => {
    const error = await rejectionOf(startServer({ pipeline: { home: path.join(scratch.dir, 'open'), env: {} }, server: { host: '0.0.0.0', port: 0, env: {} }, logger: false }));
    expect(error.code).toBe('NOT_CONFIGURED');
    expect(error.message).toMatch(/refusing to listen on 0\.0\.0\.0 without an API key/);
    expect(error.hint).toMatch(/CONTACT_IMPORT_API_KEY/);
  });

  it('/openapi.json describes every route from the same schemas', async () => {
    const spec = (await send(`${server.url}/openapi.json`, 'GET')).body;
    expect(Object.keys(spec.paths).sort()).toEqual(
      [
        '/api/analyze',
        '/api/analyze/status/{fileId}',
        '/api/fields',
        '/api/files/{fileId}',
        '/api/import',
        '/api/imports',
        '/api/imports/{importId}',
        '/api/imports/{importId}/rejected.csv',
        '/api/imports/{importId}/undo',
        '/api/map-columns',
        '/api/preview',
        '/api/templates',
        '/api/upload',
        '/healthz',
      ].sort(),
    );
    expect(spec.paths['/api/upload'].post.requestBody.content['application/json'].schema.required).toEqual(['filename', 'fileType', 'fileSize']);
  });
});
