import { ImportError } from '../errors.js';

// The SDK's failures, as one line a user can act on. Exit codes (SPEC §4): what only a change
// of configuration can fix (no bucket, no credentials, a bad endpoint URL) is 2; what may work
// next time or needs an administrator (access denied, unreachable, a server error) is 1.

export interface S3Place {
  bucket: string;
  key?: string;
  endpoint?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const ACCESS_DENIED = new Set(['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  errors?: unknown[];
}

/** `what` says what was being done, e.g. "cannot read s3://b/k". */
export function s3Error(error: unknown, what: string, place: S3Place): ImportError {
  if (error instanceof ImportError) return error;
  const e = (error ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const where = place.key ? `s3://${place.bucket}/${place.key}` : `s3://${place.bucket}`;
  const detail = describe(e);

  if (name === 'NoSuchBucket') return bucketMissing(place.bucket);
  if (name === 'NoSuchKey' || (status === 404 && place.key)) {
    return new ImportError('NOT_FOUND', `${what}: ${where} does not exist`, {
      hint: 'it may have been cleaned up; upload the file again',
      cause: error,
    });
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return new ImportError('IO', `${what}: access to ${where} denied (${detail})`, {
      hint: 'check the AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID) and that their policy allows this bucket',
      cause: error,
    });
  }
  if (name === 'CredentialsProviderError') {
    return new ImportError('NOT_CONFIGURED', `${what}: no AWS credentials found (${detail})`, {
      hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an instance role applies',
      cause: error,
    });
  }
  if (isNetworkError(e)) {
    return new ImportError('IO', `${what}: cannot reach S3${place.endpoint ? ` at ${place.endpoint}` : ''} (${detail})`, {
      hint: 'check AWS_ENDPOINT_URL_S3 / AWS_REGION and the network, then try again',
      cause: error,
    });
  }
  return new ImportError('IO', `${what}: ${detail}`, {
    hint: 'try again; with DEBUG=1 the SDK error is printed in full',
    cause: error,
  });
}

export function bucketMissing(bucket: string): ImportError {
  return new ImportError('NOT_CONFIGURED', `S3 bucket "${bucket}" does not exist`, {
    hint: 'create it, or set S3_BUCKET_NAME (and AWS_REGION / AWS_ENDPOINT_URL_S3) to an existing bucket',
  });
}

function isNetworkError(e: SdkErrorShape): boolean {
  if (e.name === 'TimeoutError' || (e.code !== undefined && NETWORK_CODES.has(e.code))) return true;
  // Node reports a refused localhost (both ::1 and 127.0.0.1) as an AggregateError of them.
  return Array.isArray(e.errors) && e.errors.some((inner) => isNetworkError((inner ?? {}) as SdkErrorShape));
}

function describe(e: SdkErrorShape): string {
  const message = e.message?.trim();
  const code = e.code ?? e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined);
  if (message && code && !message.includes(code)) return `${code}: ${message}`;
  if (message) return message;
  if (code) return code;
  return e.$metadata?.httpStatusCode ? `HTTP ${e.$metadata.httpStatusCode}` : 'unknown error';
}
