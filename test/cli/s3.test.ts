import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { S3FileStore } from '../../src/files/s3-file-store.js';
import { runCli, scratchDir } from '../helpers/cli.js';
import {
  CONTACTS_ANALYSIS,
  CONTACTS_COLUMN_SUMMARY,
  CONTACTS_COLUMNS,
  CONTACTS_CSV,
  CONTACTS_ERROR_ROWS,
  CONTACTS_IMPORT_RESULT,
  CONTACTS_IMPORTED_EMAILS,
  CONTACTS_INVALID_ROWS,
  CONTACTS_MAP_RESULT,
} from '../helpers/contacts-expectations.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

// The same pipeline as test/cli/pipeline.test.ts, with the file in an S3 bucket (s3rver, in
// process) instead of the home folder: the results must be the same. Plus what only S3 has:
// presigned uploads from another client, and cleanup of stored objects.

let server: S3TestServer;
let store: S3FileStore;
const scratch = scratchDir('ci-s3-');
const cwd = scratch.dir;
let homes = 0;
const freshHome = () => ['--home', path.join(cwd, `home-${++homes}`)];
const csvBytes = fs.readFileSync(CONTACTS_CSV);
/** For tests that spawn the CLI three times or more: each run can take seconds on a busy machine. */
const SEVERAL_RUNS = 90_000;

/** The CLI with S3 storage; state in files and contacts in SQLite under the scratch folder. */
function cli(args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(args, { cwd, env: { ...server.env, REDIS_URL: undefined, DATABASE_URL: undefined, ...env } });
}

function importedEmails(db: string): string[] {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare('SELECT email FROM contacts ORDER BY id').all() as Array<{ email: string }>).map((c) => c.email);
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  server = await startS3Server();
  const config = resolveConfig({ env: server.env, storage: 's3' });
  store = new S3FileStore({ ...config, bucket: server.bucket });
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
  scratch.cleanup();
});

describe('upload → analyze → map → preview → import with S3 storage', () => {
  const home = freshHome();
  let fileId = '';
  let key = '';

  it('upload streams the file to the bucket and reports where', async () => {
    const result = await cli(['upload', CONTACTS_CSV, '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    const body = result.json();
    expect(body).toMatchObject({ storage: 's3', bucket: server.bucket, size: csvBytes.length, fileName: 'contacts.csv' });
    expect(body.key).toMatch(/^uploads\/\d+-[a-z0-9]{6}-contacts\.csv$/);
    ({ fileId, key } = body);
    expect(await buffer(await store.open(key))).toEqual(csvBytes);
    expect(fs.existsSync(path.join(home[1]!, 'uploads'))).toBe(false);
  });

  it('analyze streams the object and profiles it exactly as from disk', async () => {
    const result = await cli(['analyze', '--file-id', fileId, '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    const summary = result.json();
    expect(summary).toMatchObject({ fileId, s3Key: key, ...CONTACTS_ANALYSIS });
    expect(summary.columns).toEqual(CONTACTS_COLUMNS);
    expect(summary.columnSummary).toMatchObject(CONTACTS_COLUMN_SUMMARY);
  });

  it('map --auto, preview and import give the disk results', async () => {
    const mapped = await cli(['map', '--file-id', fileId, '--auto', '--json', ...home]);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.json()).toMatchObject(CONTACTS_MAP_RESULT);

    const preview = await cli(['preview', '--file-id', fileId, '--invalid-only', '--json', ...home]);
    expect(preview.code, preview.stderr).toBe(0);
    // The rows import rejects: the invalid ones and row 6, a duplicate.
    expect(preview.json().rows.filter((r: any) => !r._isValid).map((r: any) => r._rowIndex)).toEqual(CONTACTS_INVALID_ROWS);
    expect(preview.json().rows.filter((r: any) => r._duplicateOf).map((r: any) => r._rowIndex)).toEqual([6]);

    const db = path.join(cwd, 'upload.db');
    const imported = await cli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--json', ...home]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject(CONTACTS_IMPORT_RESULT);
    expect(imported.json().errors.map((e: any) => e.row)).toEqual(CONTACTS_ERROR_ROWS);
    expect(importedEmails(db)).toEqual(CONTACTS_IMPORTED_EMAILS);
  }, SEVERAL_RUNS);

  it('the session remembers its bucket: without S3 settings the next step says where the file is', async () => {
    const other = freshHome();
    const uploaded = await cli(['upload', CONTACTS_CSV, '--json', ...other]);
    const id = uploaded.json().fileId;
    const local = await runCli(['analyze', '--file-id', id, ...other], { cwd, env: { S3_BUCKET_NAME: undefined, REDIS_URL: undefined } });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(new RegExp(`stored in S3 bucket "${server.bucket}".*S3_BUCKET_NAME=${server.bucket}`));
  });

  it('run uploads, imports and then deletes the object', async () => {
    const keys = async () => {
      const found: string[] = [];
      for await (const file of store.list('uploads/')) found.push(file.key);
      return found.sort();
    };
    const before = await keys();
    const db = path.join(cwd, 'run.db');
    const result = await cli(['run', CONTACTS_CSV, '--auto', '--database', `sqlite:${db}`, '--json', ...freshHome()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject(CONTACTS_IMPORT_RESULT);
    expect(await keys()).toEqual(before);
  });
});

describe('presigned uploads: another client PUTs, analyze sniffs the kind, the pipeline runs as usual', () => {
  const home = freshHome();
  let presigned: { uploadUrl: string; fileId: string; s3Key: string; expiresIn: number };

  it('presign opens a session and prints a URL bound to the type and size', async () => {
    const result = await cli(['upload', '--presign', '--filename', 'contacts.csv', '--type', 'text/csv', '--size', String(csvBytes.length), '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    presigned = result.json();
    const { uploadUrl, fileId, s3Key, expiresIn } = presigned;
    expect(fileId).toMatch(/^file_[0-9a-f-]{36}$/);
    expect(s3Key).toMatch(/^uploads\/\d+-[a-z0-9]{6}-contacts\.csv$/);
    expect(expiresIn).toBe(3600);
    const url = new URL(uploadUrl);
    expect(url.origin).toBe(server.endpoint);
    expect(url.pathname).toBe(`/${server.bucket}/${s3Key}`);
    // The type and the size are part of the signature: S3 refuses a PUT with others.
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
  });

  it('analyze before the PUT says the upload has not arrived yet (exit 2, one line)', async () => {
    const early = await cli(['analyze', '--file-id', presigned.fileId, ...home]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/has not arrived yet.*PUT the file to the presigned URL with Content-Type: text\/csv/);
    expect(early.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('after a PUT with fetch, analyze gives the disk results', async () => {
    const put = await fetch(presigned.uploadUrl, { method: 'PUT', body: csvBytes, headers: { 'Content-Type': 'text/csv' } });
    expect(put.status).toBe(200);
    const analyzed = await cli(['analyze', '--file-id', presigned.fileId, '--json', ...home]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.json()).toMatchObject({ fileId: presigned.fileId, s3Key: presigned.s3Key, ...CONTACTS_ANALYSIS });
    expect(analyzed.json().columnSummary).toMatchObject(CONTACTS_COLUMN_SUMMARY);
  });

  it('map --auto and import give the disk results', async () => {
    expect((await cli(['map', '--file-id', presigned.fileId, '--auto', ...home])).code).toBe(0);
    const db = path.join(cwd, 'presigned.db');
    const imported = await cli(['import', '--file-id', presigned.fileId, '--database', `sqlite:${db}`, '--json', ...home]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject(CONTACTS_IMPORT_RESULT);
    expect(importedEmails(db)).toEqual(CONTACTS_IMPORTED_EMAILS);
  });
});

describe('presigned uploads: checks', () => {
  it('the kind comes from the bytes: an XLSX declared as such is read as a workbook', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['E-mail', 'Given Name'], ['kim@example.com', 'Kim']]), 'Leads');
    const bytes: Buffer = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' });
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const home = freshHome();
    const presigned = await cli(['upload', '--presign', '--filename', 'leads.xlsx', '--type', type, '--size', String(bytes.length), '--json', ...home]);
    expect(presigned.code, presigned.stderr).toBe(0);
    const { uploadUrl, fileId } = presigned.json();
    expect((await fetch(uploadUrl, { method: 'PUT', body: bytes, headers: { 'Content-Type': type } })).status).toBe(200);
    const analyzed = await cli(['analyze', '--file-id', fileId, '--json', ...home]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.json()).toMatchObject({ totalRows: 1, validRows: 1, format: { type: 'xlsx', sheet: 'Leads' } });
  });

  it('a PUT of something that is not a spreadsheet is refused on first read (exit 2)', async () => {
    const home = freshHome();
    const png = fs.readFileSync(path.join(path.dirname(CONTACTS_CSV), 'picture.csv'));
    const presigned = await cli(['upload', '--presign', '--filename', 'list.csv', '--type', 'text/csv', '--size', String(png.length), '--json', ...home]);
    const { uploadUrl, fileId } = presigned.json();
    expect((await fetch(uploadUrl, { method: 'PUT', body: png, headers: { 'Content-Type': 'text/csv' } })).status).toBe(200);
    const analyzed = await cli(['analyze', '--file-id', fileId, ...home]);
    expect(analyzed.code).toBe(2);
    expect(analyzed.stderr).toMatch(/not a spreadsheet \(looks like a PNG image\)/);
  });

  it('the type and the size are checked before signing (exit 2)', async () => {
    const home = freshHome();
    const pdf = await cli(['upload', '--presign', '--filename', 'x.pdf', '--type', 'application/pdf', '--size', '100', ...home]);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toMatch(/content type "application\/pdf" is not accepted.*text\/csv/);
    expect(pdf.stdout).toBe('');

    const big = await cli(['upload', '--presign', '--filename', 'big.csv', '--type', 'text/csv', '--size', String(3 * 1024 * 1024), ...home], { MAX_FILE_SIZE_MB: '2' });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/larger than 2 MB/);

    const missing = await cli(['upload', '--presign', '--filename', 'a.csv', '--type', 'text/csv', ...home]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --filename, --type and --size/);

    const local = await runCli(['upload', '--presign', '--filename', 'a.csv', '--type', 'text/csv', '--size', '10', ...home], {
      cwd,
      env: { S3_BUCKET_NAME: undefined },
    });
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/presigned uploads need S3 storage/);
  }, SEVERAL_RUNS);

  it('prints the fileId and the URL on stdout without --json', async () => {
    const result = await cli(['upload', '--presign', '--filename', 'a.csv', '--type', 'text/csv', '--size', '10', ...freshHome()]);
    expect(result.code, result.stderr).toBe(0);
    const [fileId, url] = result.stdout.trim().split('\n');
    expect(fileId).toMatch(/^file_/);
    expect(url).toMatch(new RegExp(`^${server.endpoint}/${server.bucket}/uploads/.*X-Amz-Signature=`));
    expect(result.stderr).toMatch(/Content-Type: text\/csv/);
  });
});

describe('cleanup', () => {
  it('--file-id deletes the object and the session', async () => {
    const home = freshHome();
    const uploaded = (await cli(['upload', CONTACTS_CSV, '--json', ...home])).json();
    expect(await store.stat(uploaded.key)).not.toBeNull();
    const result = await cli(['cleanup', '--file-id', uploaded.fileId, '--json', ...home]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ deleted: [{ key: uploaded.key, size: csvBytes.length }], sessions: [uploaded.fileId], dryRun: false });
    expect(await store.stat(uploaded.key)).toBeNull();
    const after = await cli(['analyze', '--file-id', uploaded.fileId, ...home]);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/unknown or expired fileId/);
  }, SEVERAL_RUNS);

  it('--older-than lists with --dry-run, then deletes every old upload', async () => {
    const home = freshHome();
    const uploaded = (await cli(['upload', CONTACTS_CSV, '--json', ...home])).json();
    const young = await cli(['cleanup', '--older-than', '1h', '--json', ...home]);
    expect(young.json().deleted.map((f: any) => f.key)).not.toContain(uploaded.key);

    // s3rver's timestamps have second precision: make sure the upload is a second in the past.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const dry = await cli(['cleanup', '--older-than', '1s', '--dry-run', '--json', ...home]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json().dryRun).toBe(true);
    expect(dry.json().deleted.map((f: any) => f.key)).toContain(uploaded.key);
    expect(await store.stat(uploaded.key)).not.toBeNull();

    const real = await cli(['cleanup', '--older-than', '1s', ...home]);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain(`deleted ${uploaded.key}`); // a result: on stdout
    expect(await store.stat(uploaded.key)).toBeNull();
  }, SEVERAL_RUNS);

  it('needs exactly one of --file-id and --older-than', async () => {
    const result = await cli(['cleanup', ...freshHome()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/either --file-id ID or --older-than DURATION/);
    const bad = await cli(['cleanup', '--older-than', 'soon', ...freshHome()]);
    expect(bad.code).toBe(2);
  });
});

describe('S3 failures are one line with the right exit code', () => {
  it('a missing bucket: exit 2 naming it', async () => {
    const result = await cli(['upload', CONTACTS_CSV, ...freshHome()], { S3_BUCKET_NAME: 'no-such-bucket' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: S3 bucket "no-such-bucket" does not exist — .*S3_BUCKET_NAME/)]);
  });

  it('an unreachable endpoint: exit 1, in bounded time', async () => {
    const started = Date.now();
    const result = await cli(['upload', CONTACTS_CSV, ...freshHome()], { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: cannot store s3:\/\/.*cannot reach S3 at http:\/\/127\.0\.0\.1:9/)]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
