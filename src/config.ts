import path from 'node:path';
import os from 'node:os';
import { isCountryCode } from './contacts/normalize-phone.js';
import { ImportError } from './errors.js';
import type { CountryCode } from 'libphonenumber-js';
import type { OnInvalidValue } from './contacts/validate-contact.js';
import { maxRecordSize } from './records/csv/max-record-size.js';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from './records/xlsx/xlsx-limits.js';

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
  /** CSV: bytes a record may hold; a larger one is one rejected row. Default 1 MiB. */
  maxRecordSize?: number;
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
  /** PGCONNECT_TIMEOUT (seconds, as libpq reads it), else 5 s: how long to wait for PostgreSQL to answer. */
  postgresConnectTimeoutMs: number;
  /**
   * PG_STATEMENT_TIMEOUT_MS, else 60 s: the longest one PostgreSQL statement may run (the
   * server's statement_timeout; a server that does not answer at all is given up a little later).
   */
  postgresStatementTimeoutMs: number;
  /** PG_LOCK_TIMEOUT_MS, else 30 s: the longest a statement waits for a lock another session holds (lock_timeout). */
  postgresLockTimeoutMs: number;
  defaultCountry: CountryCode;
  onInvalidValue: OnInvalidValue;
  /** CSV: bytes a record's fields may hold; a larger record is one invalid row (its values not kept). */
  maxRecordSize: number;
  maxFileSizeBytes: number;
  maxRows: number;
  ttlSeconds: number;
  /** Where analyses and async imports run (see QueueConfig). */
  queue: QueueConfig;
  /** What a spreadsheet may hold before it is refused (TOO_LARGE): the readers enforce them as they read. */
  xlsxLimits: XlsxLimits;
}

/**
 * The job queue: BullMQ on Redis when REDIS_URL is set (JOB_QUEUE=local keeps jobs in the
 * process that submits them), so workers on any machine with the same settings take them.
 */
export interface QueueConfig {
  kind: 'bullmq' | 'local';
  /** BullMQ's key prefix: REDIS_PREFIX + "jobs". */
  prefix: string;
  /** JOB_LOCK_SECONDS (default 30): a worker that stops renewing a job's lock this long is presumed dead. */
  lockMs: number;
  /** JOB_STALLED_CHECK_SECONDS (default 15): how often workers look for jobs whose worker died. */
  stalledIntervalMs: number;
  /** JOB_ATTEMPTS (default 5): tries for a job failing with a transient error (service unavailable). */
  attempts: number;
  /** JOB_BACKOFF_SECONDS (default 5): the first retry's delay, doubled on each next one. */
  backoffMs: number;
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
    postgresConnectTimeoutMs: connectTimeoutMs(env),
    postgresStatementTimeoutMs: wholeNumber(env, 'PG_STATEMENT_TIMEOUT_MS', 60_000, MAX_PG_TIMEOUT_MS),
    postgresLockTimeoutMs: wholeNumber(env, 'PG_LOCK_TIMEOUT_MS', 30_000, MAX_PG_TIMEOUT_MS),
    defaultCountry,
    onInvalidValue: onInvalidValueOf(options.onInvalidValue),
    maxRecordSize: maxRecordSize(options.maxRecordSize),
    maxFileSizeBytes: Math.floor(positiveNumber(env, 'MAX_FILE_SIZE_MB', 100, MAX_FILE_SIZE_MB) * 1024 * 1024),
    maxRows: wholeNumber(env, 'MAX_ROWS_ALLOWED', 500_000, Number.MAX_SAFE_INTEGER),
    ttlSeconds: wholeNumber(env, 'TTL_SECONDS', 3600, MAX_TTL_SECONDS),
    queue: queueSettings(env, redisUrl, nonEmpty(env.REDIS_PREFIX) ?? 'contact-import:'),
    xlsxLimits: xlsxLimits(env),
  };
}

function queueSettings(env: NodeJS.ProcessEnv, redisUrl: string | undefined, redisPrefix: string): QueueConfig {
  const kind = nonEmpty(env.JOB_QUEUE)?.trim().toLowerCase() ?? (redisUrl ? 'bullmq' : 'local');
  if (kind !== 'bullmq' && kind !== 'local') {
    throw new ImportError('USAGE', `JOB_QUEUE must be bullmq or local, got ${JSON.stringify(kind.slice(0, 100))}`);
  }
  if (kind === 'bullmq' && !redisUrl) {
    throw new ImportError('NOT_CONFIGURED', 'the BullMQ job queue needs REDIS_URL', { hint: 'set REDIS_URL=redis://host:6379, or unset JOB_QUEUE' });
  }
  return {
    kind,
    prefix: `${redisPrefix}jobs`,
    lockMs: positiveNumber(env, 'JOB_LOCK_SECONDS', 30, 3600) * 1000,
    stalledIntervalMs: positiveNumber(env, 'JOB_STALLED_CHECK_SECONDS', 15, 3600) * 1000,
    attempts: wholeNumber(env, 'JOB_ATTEMPTS', 5, 100),
    backoffMs: positiveNumber(env, 'JOB_BACKOFF_SECONDS', 5, 3600) * 1000,
  };
}

function xlsxLimits(env: NodeJS.ProcessEnv): XlsxLimits {
  const d = DEFAULT_XLSX_LIMITS;
  const MiB = 1024 * 1024;
  return {
    maxSharedStrings: wholeNumber(env, 'XLSX_MAX_SHARED_STRINGS', d.maxSharedStrings, 100_000_000),
    maxSharedStringChars: Math.floor(positiveNumber(env, 'XLSX_MAX_SHARED_STRINGS_MB', d.maxSharedStringChars / MiB, 400) * MiB),
    maxCellChars: Math.floor(positiveNumber(env, 'XLSX_MAX_CELL_KB', d.maxCellChars / 1024, 100 * 1024) * 1024),
    maxWholeBytes: Math.floor(positiveNumber(env, 'XLSX_MAX_WHOLE_MB', d.maxWholeBytes / MiB, 2048) * MiB),
  };
}

/**
 * Ten years: longer means "forever" in practice, and every store can hold it (Redis takes an
 * expiry in milliseconds up to 2^63; a larger one is its "value is not an integer" error).
 */
export const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
/** PostgreSQL's timeouts are ints of milliseconds; a day is far beyond any statement of an import. */
const MAX_PG_TIMEOUT_MS = 24 * 3600 * 1000;
/** A terabyte: far beyond what one import can read, and still an exact number of bytes. */
const MAX_FILE_SIZE_MB = 1024 * 1024;

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

// Limits are checked here, once, so a bad value is a usage error naming the variable rather
// than a failure far away (a server's error, a limit that silently never applies).

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw badSetting(name, raw, `a positive number of at most ${max}`, fallback);
  }
  return value;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) throw badSetting(name, raw, `a whole number from 1 to ${max}`, fallback);
  return value;
}

function badSetting(name: string, raw: string, wanted: string, fallback: number): ImportError {
  return new ImportError('USAGE', `${name} must be ${wanted}, got ${JSON.stringify(raw.slice(0, 100))}`, {
    hint: `fix ${name} or unset it to use the default (${fallback})`,
  });
}

/** libpq's PGCONNECT_TIMEOUT, in seconds; 0 there means "forever", which is never wanted here. */
function connectTimeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(nonEmpty(env.PGCONNECT_TIMEOUT));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 5000;
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

/** What `serve` may set; anything left out comes from the environment. */
export interface ServerConfigOptions {
  host?: string;
  port?: number;
  /** Analyses and async imports run at once in this process; default one per core; 0 (BullMQ queue only): workers elsewhere run them. */
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
}

/** The HTTP server's own settings (`contact-import serve`); the pipeline's come from resolveConfig. */
export interface ServerConfig {
  /** HOST, else 127.0.0.1. */
  host: string;
  /** PORT, else 3000 (0: any free port). */
  port: number;
  /** CONTACT_IMPORT_API_KEY: every /api route then needs `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** CORS_ORIGINS, comma-separated (`*` for any); empty: no cross-origin access. */
  corsOrigins: string[];
  /** ENABLE_RATE_LIMITING: 10 uploads and 5 imports per hour per client (the seed's limits). */
  rateLimiting: boolean;
  concurrency: number;
  /** LOG_LEVEL, else info. */
  logLevel: string;
}

export function resolveServerConfig(options: ServerConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const port = options.port ?? (nonEmpty(env.PORT) === undefined ? 3000 : Number(env.PORT));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ImportError('USAGE', `PORT must be a port number from 0 to 65535, got "${env.PORT}"`);
  }
  const concurrency = options.concurrency ?? os.availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 0) {
    throw new ImportError('USAGE', `the job concurrency must be a whole number (0: only queue jobs for workers), got ${concurrency}`);
  }
  const rateLimit = nonEmpty(env.ENABLE_RATE_LIMITING)?.trim().toLowerCase();
  if (rateLimit !== undefined && !['true', 'false', '1', '0'].includes(rateLimit)) {
    throw new ImportError('USAGE', `ENABLE_RATE_LIMITING must be true or false, got "${rateLimit}"`);
  }
  return {
    host: options.host ?? nonEmpty(env.HOST) ?? '127.0.0.1',
    port,
    apiKey: nonEmpty(env.CONTACT_IMPORT_API_KEY),
    corsOrigins: (nonEmpty(env.CORS_ORIGINS) ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimiting: rateLimit === 'true' || rateLimit === '1',
    concurrency,
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
  };
}
