import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { ImportError, isImportError } from '../errors.js';
import type { FileStore, PutOptions, StoredFile } from './file-store.js';
import type { S3Settings } from './s3-client.js';
import { bucketMissing, s3Error } from './s3-error.js';

// The AWS SDK takes a good part of a second to load; it is loaded on first use so that
// commands on local storage (and --help) never pay for it.
const sdk = () => import('@aws-sdk/client-s3');

/** S3's floor for every part but the last. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
/** S3's ceiling on the number of parts of one upload. */
const MAX_PARTS = 10_000;
/** Parts in flight at once; memory is about this many parts. */
const PARALLEL_PARTS = 4;

export interface S3FileStoreOptions extends S3Settings {
  bucket: string;
  /** The largest file put() will be given, so the part size keeps it under 10,000 parts. */
  maxFileSizeBytes?: number;
}

/** Uploaded files in an S3 bucket (or an S3-compatible server): key `uploads/x.csv` is the object key. */
export class S3FileStore implements FileStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly #settings: S3Settings;
  readonly #endpoint?: string;
  readonly #partSize: number;
  #client?: Promise<S3Client>;
  #bucketSeen = false;

  constructor(options: S3FileStoreOptions) {
    this.bucket = options.bucket;
    this.#settings = options;
    this.#endpoint = options.s3Endpoint;
    this.#partSize = Math.max(MIN_PART_SIZE, Math.ceil((options.maxFileSizeBytes ?? 0) / MAX_PARTS));
  }

  /** The SDK client, created (and the SDK loaded) on first use. */
  client(): Promise<S3Client> {
    this.#client ??= import('./s3-client.js').then(({ createS3Client }) => createS3Client(this.#settings));
    return this.#client;
  }

  /**
   * A multipart upload in parallel parts (one PUT when the body fits in a part). When the body
   * fails (too large, interrupted) or S3 does, the multipart upload is aborted so no parts are
   * left behind, and the object never appears: S3 creates it only on completion.
   */
  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ size: number }> {
    // The body may fail before lib-storage starts reading it (while the SDK loads): without a
    // listener that would crash the process. The error is not lost: reading rethrows it.
    body.on('error', ignoreUntilRead);
    let size = 0;
    let bodyError: unknown;
    // Counts the bytes and keeps the body's own error: lib-storage may report a failed part or
    // abort instead, but "the file is too large" is what the user needs to hear.
    async function* watched(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of body) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          size += bytes.length;
          yield bytes;
        }
      } catch (error) {
        bodyError = error;
        throw error;
      }
    }
    try {
      checkKey(key);
      const client = await this.client();
      const { Upload } = await import('@aws-sdk/lib-storage');
      const upload = new Upload({
        client,
        params: {
          Bucket: this.bucket,
          Key: key,
          Body: Readable.from(watched(), { objectMode: false }),
          ...(options.contentType ? { ContentType: options.contentType } : {}),
        },
        queueSize: PARALLEL_PARTS,
        partSize: this.#partSize,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', (progress) => {
        if (progress.loaded !== undefined) options.onProgress?.(progress.loaded);
      });
      await upload.done();
    } catch (error) {
      if (!body.destroyed) body.destroy();
      if (bodyError !== undefined) {
        if (isImportError(bodyError)) throw bodyError;
        throw new ImportError('IO', `cannot read the file to store as ${key}: ${reason(bodyError)}`, { cause: bodyError });
      }
      throw s3Error(error, `cannot store s3://${this.bucket}/${key}`, this.#place(key));
    }
    this.#bucketSeen = true;
    options.onProgress?.(size);
    return { size };
  }

  async open(key: string): Promise<Readable> {
    checkKey(key);
    try {
      const { GetObjectCommand } = await sdk();
      const response = await (await this.client()).send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is an http.IncomingMessage: a Readable, streamed as it is read.
      const body = response.Body;
      if (!(body instanceof Readable)) throw new Error('the S3 response has no readable body');
      return body;
    } catch (error) {
      throw s3Error(error, `cannot read s3://${this.bucket}/${key}`, this.#place(key));
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    checkKey(key);
    try {
      const { HeadObjectCommand } = await sdk();
      const head = await (await this.client()).send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      this.#bucketSeen = true;
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const name = (error as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchKey' || status === 404) {
        // A HEAD answer has no body, so a missing bucket looks like a missing object: ask.
        await this.checkBucket();
        return null;
      }
      throw s3Error(error, `cannot read s3://${this.bucket}/${key}`, this.#place(key));
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    try {
      const { DeleteObjectCommand } = await sdk();
      await (await this.client()).send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return;
      throw s3Error(error, `cannot delete s3://${this.bucket}/${key}`, this.#place(key));
    }
  }

  async *list(prefix: string): AsyncIterable<StoredFile> {
    try {
      const { paginateListObjectsV2 } = await sdk();
      const client = await this.client();
      for await (const page of paginateListObjectsV2({ client }, { Bucket: this.bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          if (object.Key === undefined) continue;
          yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
        }
      }
    } catch (error) {
      throw s3Error(error, `cannot list s3://${this.bucket}/${prefix}`, this.#place());
    }
  }

  /** NOT_CONFIGURED when the bucket does not exist; a bucket we may not HEAD is given the benefit of the doubt. */
  async checkBucket(): Promise<void> {
    if (this.#bucketSeen) return;
    try {
      const { HeadBucketCommand } = await sdk();
      await (await this.client()).send(new HeadBucketCommand({ Bucket: this.bucket }));
      this.#bucketSeen = true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const name = (error as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchBucket' || status === 404) throw bucketMissing(this.bucket);
      // 403: the credentials may write objects without s3:ListBucket; the real call will tell.
      if (status === 403) return;
      throw s3Error(error, `cannot reach bucket s3://${this.bucket}`, this.#place());
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client) (await client.catch(() => undefined))?.destroy();
  }

  #place(key?: string) {
    return { bucket: this.bucket, key, endpoint: this.#endpoint };
  }
}

/** Keys come from makeStorageKey; this only stops a caller's stray key from meaning something else. */
function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '' || key.startsWith('/') || key.includes('\0') || key.split('/').includes('..')) {
    throw new ImportError('USAGE', `invalid storage key ${JSON.stringify(String(key).slice(0, 200))}`, {
      hint: 'storage keys are relative paths like uploads/<name>, without ".."',
    });
  }
}

function ignoreUntilRead(): void {}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
