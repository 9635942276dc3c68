import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { ImportError } from '../../src/errors.js';
import { makeStorageKey } from '../../src/files/make-storage-key.js';
import { S3FileStore } from '../../src/files/s3-file-store.js';
import { limitBytes } from '../../src/streams/limit-bytes.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';
import { rejectionOf } from '../helpers/import-error.js';

let server: S3TestServer;
let store: S3FileStore;

function storeFor(env: Record<string, string>, bucket?: string): S3FileStore {
  const config = resolveConfig({ env, storage: 's3' });
  return new S3FileStore({ ...config, bucket: bucket ?? config.s3Bucket! });
}

beforeAll(async () => {
  server = await startS3Server();
  store = storeFor(server.env);
});
afterAll(async () => {
  await store?.close();
  await server?.stop();
});

/** A deterministic body of `size` bytes, handed out in small chunks like a file stream. */
function generated(size: number, seed = 1): { bytes: Buffer; stream: () => Readable } {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i + 4 <= size; i += 4) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    bytes.writeUInt32LE(x, i);
  }
  return { bytes, stream: () => Readable.from(chunks(bytes, 64 * 1024)) };
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}


async function pendingMultipartUploads(): Promise<string[]> {
  const listed = await (await store.client()).send(new ListMultipartUploadsCommand({ Bucket: server.bucket }));
  return (listed.Uploads ?? []).map((u) => u.Key ?? '');
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('S3FileStore against s3rver', () => {
  it('puts, stats, opens, lists and deletes a small file', async () => {
    const key = makeStorageKey('contacts.csv');
    const body = Buffer.from('Email,First Name\nana@example.com,Ana\n');
    const progress: number[] = [];
    const stored = await store.put(key, Readable.from([body]), { contentType: 'text/csv', onProgress: (b) => progress.push(b) });
    expect(stored.size).toBe(body.length);
    expect(progress.at(-1)).toBe(body.length);
    expect(await store.stat(key)).toEqual({ size: body.length });
    expect(await buffer(await store.open(key))).toEqual(body);

    const listed = [];
    for await (const file of store.list('uploads/')) listed.push(file);
    const mine = listed.find((f) => f.key === key);
    expect(mine).toMatchObject({ key, size: body.length });
    expect(Date.now() - mine!.lastModified.getTime()).toBeLessThan(60_000);

    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await store.delete(key); // already gone: not an error
  });

  it('stores a 16 MB body as a parallel multipart upload, byte for byte', async () => {
    const { bytes, stream } = generated(16 * 1024 * 1024 + 12345);
    const key = makeStorageKey('big.csv');
    const progress: number[] = [];
    server.requests.length = 0;
    const stored = await store.put(key, stream(), { onProgress: (b) => progress.push(b) });
    expect(stored.size).toBe(bytes.length);
    expect(server.requests.filter((r) => r === 'PUT ?partNumber&uploadId')).toHaveLength(4);
    // One event per finished 5 MB part (4 parts), then the total.
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.at(-1)).toBe(bytes.length);
    expect(await store.stat(key)).toEqual({ size: bytes.length });
    expect(sha(await buffer(await store.open(key)))).toBe(sha(bytes));
    expect(await pendingMultipartUploads()).toEqual([]);
    await store.delete(key);
  });

  it('an oversized stream fails with TOO_LARGE and leaves no object and no multipart upload', async () => {
    const { stream } = generated(20 * 1024 * 1024);
    const key = makeStorageKey('too-big.csv');
    const limit = 12 * 1024 * 1024; // past two full parts, so the multipart upload was started
    const tooLarge = () => new ImportError('TOO_LARGE', 'too-big.csv is larger than 12 MB');
    server.requests.length = 0;
    const error = await rejectionOf(store.put(key, limitBytes(stream(), limit, tooLarge)));
    expect(error.code).toBe('TOO_LARGE');
    expect(server.requests).toContain('POST ?uploads');
    expect(server.requests).toContain('DELETE ?uploadId');
    expect(await store.stat(key)).toBeNull();
    expect(await pendingMultipartUploads()).toEqual([]);
    expect(server.multipartUploadsOnDisk()).toEqual([]);
  });

  it('a body that fails part-way (e.g. interrupted) aborts the multipart upload too', async () => {
    const key = makeStorageKey('interrupted.csv');
    async function* failing(): AsyncGenerator<Buffer> {
      yield randomBytes(6 * 1024 * 1024);
      yield randomBytes(6 * 1024 * 1024);
      throw new ImportError('INTERRUPTED', 'upload interrupted');
    }
    const error = await rejectionOf(store.put(key, Readable.from(failing())));
    expect(error.code).toBe('INTERRUPTED');
    expect(await store.stat(key)).toBeNull();
    expect(await pendingMultipartUploads()).toEqual([]);
  });

  it('opening a missing object is NOT_FOUND; stat says null', async () => {
    const error = await rejectionOf(store.open('uploads/0-nothere-missing.csv'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.exitCode).toBe(2);
    expect(await store.stat('uploads/0-nothere-missing.csv')).toBeNull();
  });

  it('a missing bucket is a configuration error (exit 2) naming the bucket', async () => {
    const missing = storeFor(server.env, 'no-such-bucket');
    try {
      for (const attempt of [
        () => missing.stat('uploads/x.csv'),
        () => missing.open('uploads/x.csv'),
        () => missing.put('uploads/x.csv', Readable.from([Buffer.from('a,b\n')])),
      ]) {
        const error = await rejectionOf(attempt());
        expect(error.code).toBe('NOT_CONFIGURED');
        expect(error.exitCode).toBe(2);
        expect(error.describe()).toMatch(/bucket "no-such-bucket" does not exist.*S3_BUCKET_NAME/);
      }
    } finally {
      await missing.close();
    }
  });

  it('an unreachable endpoint fails with IO in bounded time', async () => {
    // A port that was just free: connections are refused, and the SDK gives up after 3 tries.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const dead = storeFor({ ...server.env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}` });
    const started = Date.now();
    try {
      const error = await rejectionOf(dead.stat('uploads/x.csv'));
      expect(error.code).toBe('IO');
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(/cannot reach S3 at http:\/\/127\.0\.0\.1:\d+/);
      const putError = await rejectionOf(dead.put('uploads/x.csv', Readable.from([Buffer.from('a,b\n')])));
      expect(putError.code).toBe('IO');
    } finally {
      await dead.close();
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('wrong credentials are reported as access denied (exit 1)', async () => {
    // s3rver checks the access key id (it does not verify SigV4 signatures).
    const denied = storeFor({ ...server.env, AWS_ACCESS_KEY_ID: 'NOBODY' });
    try {
      const error = await rejectionOf(denied.open('uploads/x.csv'));
      expect(error.code).toBe('IO');
      expect(error.exitCode).toBe(1);
      expect(error.describe()).toMatch(/denied.*AWS_PROFILE/);
    } finally {
      await denied.close();
    }
  });

  it('keys made from hostile names stay inside uploads/', async () => {
    for (const name of ['../../etc/passwd', '/abs/path.csv', 'a/../../b.csv', '..\\..\\win.csv', 'контакты.csv']) {
      const key = makeStorageKey(name);
      expect(key).toMatch(/^uploads\/\d+-[a-z0-9]{6}-[A-Za-z0-9._-]+$/);
      await store.put(key, Readable.from([Buffer.from('a,b\n')]));
      expect(await store.stat(key)).toEqual({ size: 4 });
      await store.delete(key);
    }
  });
});
