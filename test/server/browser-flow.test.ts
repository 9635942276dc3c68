import fs from 'node:fs';
import path from 'node:path';
import { PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/cli.js';
import {
  CONTACTS_ANALYSIS,
  CONTACTS_COLUMNS,
  CONTACTS_CSV,
  CONTACTS_ERROR_ROWS,
  CONTACTS_IMPORT_RESULT,
  CONTACTS_IMPORTED_EMAILS,
  CONTACTS_MAP_RESULT,
} from '../helpers/contacts-expectations.js';
import { POSTGRES, SQLITE, type TestDatabase, type TestEngine } from '../helpers/databases.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { pollUntil, send, startTestServer, type TestServer } from '../helpers/server.js';

// The browser flow of the seed's frontend against the real server over real HTTP: upload URL →
// PUT the bytes (to this server, or presigned to S3 after the CORS preflight a browser sends)
// → analyze → poll status → map → preview page 3 → import (sync, then ?async=1 for another
// upload) → history → undo. On both database engines, both state stores and both storages.

const ORIGIN = 'http://app.example.test';
const csv = fs.readFileSync(CONTACTS_CSV);
const scratch = scratchDir('ci-serve-');
let s3: S3TestServer;
const redis = rawClient();
const prefixes: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  // What a deployer sets on the bucket so browsers may PUT to presigned URLs.
  const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  await client.send(
    new PutBucketCorsCommand({
      Bucket: s3.bucket,
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [ORIGIN], AllowedMethods: ['PUT'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 }] },
    }),
  );
  client.destroy();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  redis.disconnect();
  await s3?.stop();
  scratch.cleanup();
});

interface Setup {
  name: string;
  engine: TestEngine;
  state: 'file' | 'redis';
  storage: 'local' | 's3';
}

const SETUPS: Setup[] = [
  { name: 'SQLite, file state, files on the server', engine: SQLITE, state: 'file', storage: 'local' },
  { name: 'PostgreSQL, Redis state, files on the server', engine: POSTGRES, state: 'redis', storage: 'local' },
  { name: 'SQLite, Redis state, presigned S3', engine: SQLITE, state: 'redis', storage: 's3' },
  { name: 'PostgreSQL, file state, presigned S3', engine: POSTGRES, state: 'file', storage: 's3' },
];

describe.each(SETUPS)('$name', ({ name, engine, state, storage }) => {
  let server: TestServer;
  let db: TestDatabase;
  const dir = path.join(scratch.dir, name.replace(/\W+/g, '-'));

  beforeAll(async () => {
    fs.mkdirSync(dir, { recursive: true });
    db = engine.create(dir);
    const env: Record<string, string> = { CORS_ORIGINS: ORIGIN };
    if (state === 'redis') {
      const prefix = uniquePrefix('serve');
      prefixes.push(prefix);
      Object.assign(env, { REDIS_URL, REDIS_PREFIX: prefix });
    }
    if (storage === 's3') Object.assign(env, s3.env);
    server = await startTestServer({ home: path.join(dir, 'home'), env, database: db.url, state, storage });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  /** POST /api/upload, then the PUT a browser makes (preflight first, as it is cross-origin). */
  async function uploadFile(): Promise<{ fileId: string; s3Key: string }> {
    const opened = await server.request('POST', '/api/upload', { filename: 'contacts.csv', fileType: 'text/csv', fileSize: csv.length });
    expect(opened.status, opened.text).toBe(200);
    const { uploadUrl, fileId, s3Key, expiresIn } = opened.body;
    expect(fileId).toMatch(/^file_[0-9a-f-]{36}$/);
    expect(s3Key).toMatch(/^uploads\/\d+-[a-z0-9]{6}-contacts\.csv$/);
    expect(expiresIn).toBe(3600);
    expect(new URL(uploadUrl).origin).toBe(storage === 's3' ? s3.endpoint : server.url);

    const preflight = await fetch(uploadUrl, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    // s3rver answers a preflight for an allowed origin with "*"; this server names the origin.
    expect(storage === 's3' ? [ORIGIN, '*'] : [ORIGIN]).toContain(preflight.headers.get('access-control-allow-origin'));
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PUT/);

    const put = await send(uploadUrl, 'PUT', csv, { 'content-type': 'text/csv', origin: ORIGIN });
    expect(put.status, put.text).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    if (storage === 'local') expect(put.body).toMatchObject({ fileId, s3Key, size: csv.length, fileName: 'contacts.csv' });
    return { fileId, s3Key };
  }

  async function analyzeAndMap(fileId: string, s3Key: string): Promise<Record<string, unknown>> {
    const started = await server.request('POST', '/api/analyze', { fileId, s3Key });
    expect(started.status, started.text).toBe(202);
    expect(started.body).toEqual({ status: 'analyzing' });
    const done = await pollUntil(
      () => server.request('GET', `/api/analyze/status/${fileId}`),
      (r) => r.status !== 200 || r.body.status !== 'analyzing',
    );
    expect(done.status, done.text).toBe(200);
    expect(done.body.status).toBe('complete');
    const { summary } = done.body;
    expect(summary).toMatchObject({ fileId, s3Key, ...CONTACTS_ANALYSIS, columns: CONTACTS_COLUMNS });
    const mapped = await server.request('POST', '/api/map-columns', { fileId, mapping: summary.suggestedMapping });
    expect(mapped.status, mapped.text).toBe(200);
    expect(mapped.body).toMatchObject(CONTACTS_MAP_RESULT);
    return summary;
  }

  const emails = async () => (await db.query('SELECT email FROM contacts ORDER BY id')).map((r) => r.email);
  let importId = '';

  it('upload → PUT → analyze → status → map → preview page 3 → import → history → undo', async () => {
    const { fileId, s3Key } = await uploadFile();
    await analyzeAndMap(fileId, s3Key);

    const page3 = await server.request('GET', `/api/preview?fileId=${fileId}&page=3&pageSize=4`);
    expect(page3.status, page3.text).toBe(200);
    expect(page3.body).toMatchObject({ total: 12, page: 3, pageSize: 4, mappingSource: 'saved' });
    expect(page3.body.rows.map((r: any) => r._rowIndex)).toEqual([9, 10, 11, 12]);
    expect(page3.body.rows[0]).toHaveProperty('email');
    const invalid = await server.request('GET', `/api/preview?fileId=${fileId}&invalidOnly=true`);
    expect(invalid.body.rows.map((r: any) => r._rowIndex)).toEqual(CONTACTS_ERROR_ROWS);

    const imported = await server.request('POST', '/api/import', { fileId });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body).toMatchObject(CONTACTS_IMPORT_RESULT);
    expect(imported.body.errors.map((e: any) => e.row)).toEqual(CONTACTS_ERROR_ROWS);
    importId = imported.body.importId;
    expect(imported.body.errorReport).toBe(`/api/imports/${importId}/rejected.csv`);
    expect(await emails()).toEqual(CONTACTS_IMPORTED_EMAILS);

    const report = await server.request('GET', imported.body.errorReport);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(report.text.split('\n')[0]).toBe([...CONTACTS_COLUMNS, '_row', '_field', '_reason'].join(','));
    expect(report.text.trim().split('\n')).toHaveLength(1 + CONTACTS_ERROR_ROWS.length);

    const listed = await server.request('GET', '/api/imports');
    expect(listed.status).toBe(200);
    expect(listed.body.imports[0]).toMatchObject({ importId, status: 'completed', imported: 8, fileName: 'contacts.csv' });
    const run = await server.request('GET', `/api/imports/${importId}`);
    expect(run.body).toMatchObject({ importId, status: 'completed', run: { importId, imported: 8 } });

    const undone = await server.request('POST', `/api/imports/${importId}/undo`);
    expect(undone.status, undone.text).toBe(200);
    expect(undone.body).toMatchObject({ importId, deleted: 8 });
    expect(await emails()).toEqual([]);
    const after = await server.request('GET', `/api/imports/${importId}`);
    expect(after.body.status).toBe('undone');
  });

  it('POST /api/import?async=1 answers 202 at once; GET /api/imports/:importId follows it to the result', async () => {
    const { fileId, s3Key } = await uploadFile();
    await analyzeAndMap(fileId, s3Key);
    const accepted = await server.request('POST', '/api/import?async=1', { fileId, excludedRows: [12] });
    expect(accepted.status, accepted.text).toBe(202);
    const jobId = accepted.body.importId;
    expect(jobId).toMatch(/^job_[0-9a-f-]{36}$/);
    const done = await pollUntil(
      () => server.request('GET', `/api/imports/${jobId}`),
      (r) => r.body?.status === 'completed' || r.body?.status === 'failed',
    );
    expect(done.body.status, done.text).toBe('completed');
    const result = done.body.result;
    expect(result).toMatchObject({ success: true, imported: 7, excluded: 1, invalid: 3, duplicates: 1 });
    expect(await emails()).toEqual(CONTACTS_IMPORTED_EMAILS.filter((e) => e !== 'judy@example.com'));
    // The result names the recorded run, which history and undo know.
    const listed = await server.request('GET', '/api/imports?limit=1');
    expect(listed.body.imports[0]).toMatchObject({ importId: result.importId, status: 'completed' });
    const undone = await server.request('POST', `/api/imports/${result.importId}/undo`);
    expect(undone.status, undone.text).toBe(200);
    expect(await emails()).toEqual([]);
  });

  it('GET /api/fields, /api/templates and /healthz', async () => {
    const fields = await server.request('GET', '/api/fields');
    expect(fields.body.fields[0]).toEqual({ key: 'email', label: 'Email', required: true, type: 'email' });
    expect(fields.body.fields).toHaveLength(12);
    expect((await server.request('GET', '/api/templates')).body).toEqual({ templates: [] });
    const health = await server.request('GET', '/healthz');
    expect(health.status, health.text).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { state: 'ok', files: 'ok', database: 'ok' } });
  });
});
