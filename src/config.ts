import path from 'node:path';
import { isCountryCode } from './contacts/normalize-phone.js';
import { ImportError } from './errors.js';
import type { CountryCode } from 'libphonenumber-js';

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
  /** The environment to read; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Config {
  home: string;
  storage: 'local' | 's3';
  state: 'file' | 'redis';
  s3Bucket?: string;
  redisUrl?: string;
  databaseUrl: string;
  table: string;
  defaultCountry: CountryCode;
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
    redisUrl,
    databaseUrl: options.database ?? nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL,
    table: options.table ?? 'contacts',
    defaultCountry,
    maxFileSizeBytes: positiveNumber(env, 'MAX_FILE_SIZE_MB', 100) * 1024 * 1024,
    maxRows: Math.floor(positiveNumber(env, 'MAX_ROWS_ALLOWED', 500_000)),
    ttlSeconds: Math.floor(positiveNumber(env, 'TTL_SECONDS', 3600)),
  };
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
