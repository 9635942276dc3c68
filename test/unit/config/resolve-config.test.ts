import { describe, expect, it } from 'vitest';
import { MAX_TTL_SECONDS, resolveConfig } from '../../../src/config.js';
import { ImportError } from '../../../src/errors.js';

// Limits come from the environment; a value no store could honour is refused here, naming the
// variable, instead of failing later as a server's error (Redis: "value is not an integer").

function refusal(env: NodeJS.ProcessEnv): ImportError {
  try {
    resolveConfig({ env });
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('resolveConfig limits', () => {
  it('takes whole numbers within range', () => {
    const config = resolveConfig({ env: { TTL_SECONDS: '86400', MAX_ROWS_ALLOWED: ' 1000 ', MAX_FILE_SIZE_MB: '0.5' } });
    expect(config).toMatchObject({ ttlSeconds: 86400, maxRows: 1000, maxFileSizeBytes: 512 * 1024 });
    expect(resolveConfig({ env: { TTL_SECONDS: String(MAX_TTL_SECONDS) } }).ttlSeconds).toBe(MAX_TTL_SECONDS);
    expect(resolveConfig({ env: {} })).toMatchObject({ ttlSeconds: 3600, maxRows: 500_000 });
  });

  it.each(['1e16', String(MAX_TTL_SECONDS + 1), '1.5', '0', '-5', '0x10', 'an hour', 'Infinity'])('refuses TTL_SECONDS=%s', (value) => {
    const error = refusal({ TTL_SECONDS: value });
    expect(error.code).toBe('USAGE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('TTL_SECONDS');
    expect(error.message).toContain(JSON.stringify(value));
  });

  it.each(['2.5', '0', '1e400', '99999999999999999999'])('refuses MAX_ROWS_ALLOWED=%s', (value) => {
    expect(refusal({ MAX_ROWS_ALLOWED: value }).message).toMatch(/^MAX_ROWS_ALLOWED must be a whole number/);
  });

  it.each(['0', '-1', 'big', '1e300'])('refuses MAX_FILE_SIZE_MB=%s', (value) => {
    expect(refusal({ MAX_FILE_SIZE_MB: value }).message).toMatch(/^MAX_FILE_SIZE_MB must be a positive number/);
  });

  it('bounds PostgreSQL statements and lock waits: 60 s and 30 s unless PG_STATEMENT_TIMEOUT_MS / PG_LOCK_TIMEOUT_MS say otherwise', () => {
    expect(resolveConfig({ env: {} })).toMatchObject({ postgresStatementTimeoutMs: 60_000, postgresLockTimeoutMs: 30_000 });
    expect(resolveConfig({ env: { PG_STATEMENT_TIMEOUT_MS: '1500', PG_LOCK_TIMEOUT_MS: '200' } })).toMatchObject({
      postgresStatementTimeoutMs: 1500,
      postgresLockTimeoutMs: 200,
    });
    // 0 would mean "wait forever" to PostgreSQL: the very hang these bounds are there to end.
    for (const value of ['0', '-1', '1.5', '90000000', 'a minute']) {
      expect(refusal({ PG_STATEMENT_TIMEOUT_MS: value }).message).toMatch(/^PG_STATEMENT_TIMEOUT_MS must be a whole number from 1 to 86400000/);
      expect(refusal({ PG_LOCK_TIMEOUT_MS: value }).code).toBe('USAGE');
    }
  });
});

describe('resolveConfig XLSX limits', () => {
  it('reads them from the environment, with defaults, and refuses nonsense', () => {
    expect(resolveConfig({ env: {} }).xlsxLimits).toEqual({
      maxSharedStrings: 5_000_000,
      maxSharedStringChars: 100 * 1024 * 1024,
      maxCellChars: 1024 * 1024,
      maxWholeBytes: 50 * 1024 * 1024,
    });
    const env = { XLSX_MAX_SHARED_STRINGS: '1000', XLSX_MAX_SHARED_STRINGS_MB: '2', XLSX_MAX_CELL_KB: '0.5', XLSX_MAX_WHOLE_MB: '10' };
    expect(resolveConfig({ env }).xlsxLimits).toEqual({ maxSharedStrings: 1000, maxSharedStringChars: 2 * 1024 * 1024, maxCellChars: 512, maxWholeBytes: 10 * 1024 * 1024 });
    for (const bad of [{ XLSX_MAX_SHARED_STRINGS: '1.5' }, { XLSX_MAX_SHARED_STRINGS_MB: '0' }, { XLSX_MAX_CELL_KB: 'lots' }, { XLSX_MAX_WHOLE_MB: '1e9' }]) {
      expect(() => resolveConfig({ env: bad })).toThrow(new RegExp(Object.keys(bad)[0]!));
    }
  });
});
