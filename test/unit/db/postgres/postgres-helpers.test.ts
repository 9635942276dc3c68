// The pure parts of the PostgreSQL store; the store itself runs against a real server in
// test/integration/.
import { describe, expect, it } from 'vitest';
import { CopyBuffer } from '../../../../src/db/postgres/copy-buffer.js';
import { copyCell } from '../../../../src/db/postgres/copy-rows.js';
import { parseNumberList } from '../../../../src/db/postgres/parse-number-list.js';
import { numberedPlaceholders } from '../../../../src/db/postgres/postgres-dialect.js';
import { postgresFailure } from '../../../../src/db/postgres/postgres-failure.js';
import { parsePostgresUrl } from '../../../../src/db/postgres/postgres-url.js';
import { ImportError } from '../../../../src/errors.js';

describe('copyCell', () => {
  it('writes \\N for missing values and numbers and text as they are', () => {
    expect([0, 'a@b.co', 'Ann', null, undefined, ''].map(copyCell)).toEqual(['0', 'a@b.co', 'Ann', '\\N', '\\N', '']);
  });

  it('escapes backslash, tab, newline and carriage return, and nothing else', () => {
    expect(['a\\b', 'c\td', 'e\nf', 'g\r\nh', '\\N', '\\.', '"\',;| é 🙂'].map(copyCell)).toEqual(
      ['a\\\\b', 'c\\td', 'e\\nf', 'g\\r\\nh', '\\\\N', '\\\\.', '"\',;| é 🙂'],
    );
  });
});

describe('CopyBuffer', () => {
  it('gathers lines as UTF-8, growing past its first size', () => {
    const buffer = new CopyBuffer(4);
    const lines = ['a\tb\n', 'é 🙂\n', 'x'.repeat(1000), ''];
    for (const line of lines) buffer.append(line);
    expect(buffer.bytes().toString('utf8')).toBe(lines.join(''));
    expect(buffer.bytes().length).toBe(Buffer.byteLength(lines.join('')));
  });
});

describe('parseNumberList', () => {
  it('reads comma-separated integers, and NULL or empty as none', () => {
    expect(parseNumberList('3,17,0,9007199254740991')).toEqual([3, 17, 0, 9007199254740991]);
    expect(parseNumberList('42')).toEqual([42]);
    expect(parseNumberList(null)).toEqual([]);
    expect(parseNumberList('')).toEqual([]);
  });

  it('refuses anything else', () => {
    expect(() => parseNumberList('1,-2')).toThrow(TypeError);
    expect(() => parseNumberList('1, 2')).toThrow(TypeError);
  });
});

describe('numberedPlaceholders', () => {
  it("numbers the ? placeholders the import-run record writes, leaving quoted text alone", () => {
    expect(numberedPlaceholders("UPDATE t SET a = ?, b = 'why?' WHERE id = ? AND s = 'running'")).toBe(
      "UPDATE t SET a = $1, b = 'why?' WHERE id = $2 AND s = 'running'",
    );
    expect(numberedPlaceholders('SELECT 1')).toBe('SELECT 1');
  });
});

describe('parsePostgresUrl', () => {
  it('leaves URLs without a schema parameter untouched', () => {
    for (const url of ['postgres://u:p%40ss@h:5432/db', 'postgresql://h/db?sslmode=require&options=-c%20search_path%3Dx', 'postgres://']) {
      expect(parsePostgresUrl(url)).toEqual({ connectionString: url });
    }
  });

  it('takes ?schema= out for itself', () => {
    expect(parsePostgresUrl('postgres://u@h/db?schema=crm')).toEqual({ connectionString: 'postgres://u@h/db', schema: 'crm' });
    expect(parsePostgresUrl(' postgres://u@h/db?sslmode=disable&schema=Sales&application_name=x ')).toEqual({
      connectionString: 'postgres://u@h/db?sslmode=disable&application_name=x',
      schema: 'Sales',
    });
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(() => parsePostgresUrl('postgres://h/db?schema=a;drop')).toThrow(ImportError);
    expect(() => parsePostgresUrl('postgres://h/db?schema=')).toThrow(/invalid schema name/);
  });
});

describe('postgresFailure', () => {
  const context = 'cannot connect to PostgreSQL at u@h:5432/db';

  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'connection refused', /server is running/],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND nohost' }, 'host not found', /PGHOST/],
    [{ code: '28P01', message: 'password authentication failed for user "u"' }, 'password authentication failed for user "u"', /PGPASSWORD/],
    [{ code: '3D000', message: 'database "db" does not exist' }, 'database "db" does not exist', /createdb/],
    [{ code: '42501', message: 'permission denied for schema public' }, 'permission denied for schema public', /set schema to one it owns/],
    [new Error('timeout expired'), 'no answer from the server in time', /server is running/],
    [new Error('The server does not support SSL connections'), 'The server does not support SSL connections', /sslmode=disable/],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'the connection was lost (terminating connection due to administrator command)', /run the same import again/],
    [new Error('Connection terminated unexpectedly'), 'the connection was lost (Connection terminated unexpectedly)', /run the same import again/],
  ])('explains %j', (error, reason, hint) => {
    const failure = postgresFailure(error, context);
    expect(failure.code).toBe('IO');
    expect(failure.message).toBe(`${context}: ${reason}`);
    expect(failure.hint).toMatch(hint);
    expect(failure.cause).toBe(error);
  });

  it('adds the server detail and the row, and passes ImportErrors through', () => {
    const failure = postgresFailure({ code: '23502', message: 'null value in column "email"', detail: 'Failing row contains (…).' }, 'cannot write', { row: 7 });
    expect(failure.message).toBe('cannot write: null value in column "email" (Failing row contains (…).)');
    expect(failure.hint).toBeUndefined();
    expect(failure.place.row).toBe(7);
    const usage = new ImportError('USAGE', 'bad table');
    expect(postgresFailure(usage, 'x')).toBe(usage);
  });
});
