import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Config } from '../config.js';
import { ImportError } from '../errors.js';

export type S3Settings = Pick<Config, 's3Region' | 's3Endpoint' | 's3ForcePathStyle' | 's3Credentials'>;

/** Three tries in all (the SDK's standard backoff), so a dead endpoint fails in seconds, not never. */
export const S3_MAX_ATTEMPTS = 3;
/** A server that does not accept the connection by then is taken as unreachable. */
export const S3_CONNECT_TIMEOUT_MS = 5_000;
/** A socket with no traffic for this long is dropped (a stalled server, a dead link). */
export const S3_IDLE_TIMEOUT_MS = 60_000;

/** An S3 client configured the AWS way, bounded so that no failure means an endless wait. */
export function createS3Client(settings: S3Settings): S3Client {
  const endpoint = settings.s3Endpoint;
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw new ImportError('NOT_CONFIGURED', `AWS_ENDPOINT_URL_S3 must be an http(s) URL, got "${endpoint}"`, {
      hint: 'e.g. AWS_ENDPOINT_URL_S3=http://127.0.0.1:9000 for a local MinIO, or unset it for AWS',
    });
  }
  return new S3Client({
    region: settings.s3Region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    forcePathStyle: settings.s3ForcePathStyle,
    // Without explicit keys the SDK walks its default chain: env, AWS_PROFILE / SSO, instance role.
    ...(settings.s3Credentials ? { credentials: settings.s3Credentials } : {}),
    maxAttempts: S3_MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: S3_CONNECT_TIMEOUT_MS,
      socketTimeout: S3_IDLE_TIMEOUT_MS,
    }),
    // Checksums only where S3 demands them: the default (CRC32 on every PUT, aws-chunked
    // bodies) is not understood by every S3-compatible server, and a presigned URL would carry
    // the checksum of an empty body. Operations that require a checksum still send one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
