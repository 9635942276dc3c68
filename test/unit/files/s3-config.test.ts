import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config.js';
import { ImportError } from '../../../src/errors.js';
import { openFileStore } from '../../../src/files/open-file-store.js';
import { S3FileStore } from '../../../src/files/s3-file-store.js';

describe('S3 configuration', () => {
  it('selects S3 when a bucket is set, with AWS defaults', () => {
    const config = resolveConfig({ env: { S3_BUCKET_NAME: 'contacts' } });
    expect(config).toMatchObject({ storage: 's3', s3Bucket: 'contacts', s3Region: 'us-east-1', s3ForcePathStyle: false });
    expect(config.s3Endpoint).toBeUndefined();
    // No keys in the environment: the SDK's default chain (profile, SSO, instance role) decides.
    expect(config.s3Credentials).toBeUndefined();
  });

  it('an endpoint URL turns on path-style addressing unless told otherwise', () => {
    const env = { S3_BUCKET_NAME: 'b', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' };
    expect(resolveConfig({ env })).toMatchObject({ s3Endpoint: 'http://127.0.0.1:9000', s3ForcePathStyle: true });
    expect(resolveConfig({ env: { ...env, AWS_ENDPOINT_URL_S3: 'http://minio:9000' } }).s3Endpoint).toBe('http://minio:9000');
    expect(resolveConfig({ env: { ...env, S3_FORCE_PATH_STYLE: 'false' } }).s3ForcePathStyle).toBe(false);
    expect(resolveConfig({ env: { S3_FORCE_PATH_STYLE: '1' } }).s3ForcePathStyle).toBe(true);
    expect(() => resolveConfig({ env: { S3_FORCE_PATH_STYLE: 'maybe' } })).toThrow(/S3_FORCE_PATH_STYLE must be true or false/);
  });

  it('region from AWS_REGION, else AWS_DEFAULT_REGION; keys from the environment given', () => {
    expect(resolveConfig({ env: { AWS_DEFAULT_REGION: 'eu-west-1' } }).s3Region).toBe('eu-west-1');
    expect(resolveConfig({ env: { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'eu-west-1' } }).s3Region).toBe('eu-central-1');
    const config = resolveConfig({ env: { AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_SESSION_TOKEN: 'T' } });
    expect(config.s3Credentials).toEqual({ accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'T' });
  });

  it('--storage s3 without a bucket is NOT_CONFIGURED (exit 2)', () => {
    const config = resolveConfig({ env: {}, storage: 's3' });
    let error: unknown;
    try {
      openFileStore(config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).exitCode).toBe(2);
    expect((error as ImportError).describe()).toMatch(/needs a bucket.*S3_BUCKET_NAME/);
  });

  it('opens an S3 store without touching the network', async () => {
    const store = openFileStore(resolveConfig({ env: { S3_BUCKET_NAME: 'contacts' } }));
    expect(store).toBeInstanceOf(S3FileStore);
    expect(store).toMatchObject({ kind: 's3', bucket: 'contacts' });
    await store.close();
  });

  it('a malformed endpoint URL is a configuration error on first use', async () => {
    const store = openFileStore(resolveConfig({ env: { S3_BUCKET_NAME: 'b', AWS_ENDPOINT_URL_S3: 'minio:9000' } })) as S3FileStore;
    await expect(store.client()).rejects.toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringMatching(/must be an http\(s\) URL/) });
    await store.close();
  });
});
