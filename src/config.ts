import path from 'node:path';
import { isCountryCode } from './contacts/normalize-phone.js';
import { ImportError } from './errors.js';
import type { CountryCode } from 'libphonenumber-js';
import type { OnInvalidValue } from './types.js';

/** What a caller (CLI flags or a Node program) may set; anything left out comes from the environment. */
export interface ConfigOptions {
  /** State, uploads and templates folder. Default: CONTACT_IMPORT_HOME, else ./.contact-import */
  home?: string;
  storage?: 'local' | 's3';
  state?: 'file' | 'redis';
  /** Contacts database URL. Default: DATABASE_URL, else sqlite:contacts.db */
  database?: string;
  table?: string;
  defaultCountry?: string;
  /** What a bad optional value does to its row: 'reject' (default) or 'blank'. */
  onInvalidValue?: OnInvalidValue;
  /** The environment to read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Config {
  home: string;
  storage: 'local' | 's3';
  state: 'file' | 'redis';
  s3Bucket?: string;
  /** AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1. */
  s3Region: string;
  /** AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL: an S3-compatible server (MinIO and the like). */
  s3Endpoint?: string;
  /** S3_FORCE_PATH_STYLE; default true when an endpoint is set, as most S3-compatible servers need it. */
  s3ForcePathStyle: boolean;
  /** Keys from the environment read (so `env` is honoured); absent: the SDK's default credential chain. */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  redisUrl?: string;
  /** Put before every Redis key (REDIS_PREFIX), so several tools can share one Redis. */
  redisPrefix: string;
  databaseUrl: string;
  table: string;
  defaultCountry: CountryCode;
  onInvalidValue: OnInvalidValue;
  maxFileSizeBytes: number;
  maxRows: number;
  ttlSeconds: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:contacts.db';

export function resolveConfig(options: ConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const home = path.resolve(options.home ?? nonEmpty(env.CONTACT_IMPORT_HOME) ?? '.contact-import');
  const s3Bucket = nonEmpty(env.S3_BUCKET_NAME);
  const redisUrl = nonEmpty(env.REDIS_URL);
  const defaultCountry = (options.defaultCountry ?? nonEmpty(env.DEFAULT_COUNTRY) ?? 'US').toUpperCase();
  if (!isCountryCode(defaultCountry)) {
    throw new ImportError('USAGE', `unknown country code "${defaultCountry}"`, {
      hint: 'use a two-letter ISO 3166 code such as US, GB or DE',
    });
  }
  return {
    home,
    storage: options.storage ?? (s3Bucket ? 's3' : 'local'),
    state: options.state ?? (redisUrl ? 'redis' : 'file'),
    s3Bucket,
    ...s3Settings(env),
    redisUrl,
    redisPrefix: nonEmpty(env.REDIS_PREFIX) ?? 'contact-import:',
    databaseUrl: options.database ?? nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL,
    table: options.table ?? 'contacts',
    defaultCountry,
    onInvalidValue: onInvalidValueOf(options.onInvalidValue),
    maxFileSizeBytes: positiveNumber(env, 'MAX_FILE_SIZE_MB', 100) * 1024 * 1024,
    maxRows: Math.floor(positiveNumber(env, 'MAX_ROWS_ALLOWED', 500_000)),
    ttlSeconds: Math.floor(positiveNumber(env, 'TTL_SECONDS', 3600)),
  };
}

function onInvalidValueOf(value: string | undefined): OnInvalidValue {
  if (value === undefined || value === 'reject' || value === 'blank') return value ?? 'reject';
  throw new ImportError('USAGE', `onInvalidValue must be reject or blank, got "${value}"`, {
    hint: 'set onInvalidValue to reject (the row is invalid) or blank (the contact is imported without the value)',
    options: ['onInvalidValue'],
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ImportError('USAGE', `${name} must be a positive number, got "${raw}"`, {
      hint: `unset ${name} to use the default (${fallback})`,
    });
  }
  return value;
}

/** Where and how to reach S3; credentials stay with the SDK's chain unless keys are in `env`. */
function s3Settings(env: NodeJS.ProcessEnv): Pick<Config, 's3Region' | 's3Endpoint' | 's3ForcePathStyle' | 's3Credentials'> {
  const s3Endpoint = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const pathStyle = nonEmpty(env.S3_FORCE_PATH_STYLE)?.trim().toLowerCase();
  if (pathStyle !== undefined && !['true', 'false', '1', '0'].includes(pathStyle)) {
    throw new ImportError('USAGE', `S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  }
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  return {
    s3Region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? 'us-east-1',
    s3Endpoint,
    s3ForcePathStyle: pathStyle === undefined ? s3Endpoint !== undefined : pathStyle === 'true' || pathStyle === '1',
    s3Credentials:
      accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined,
  };
}
