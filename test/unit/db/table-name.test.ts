import { describe, expect, it } from 'vitest';
import { checkSchemaName, checkTableName, quoteIdent } from '../../../src/db/table-name.js';
import { thrownBy } from '../../helpers/import-error.js';

describe('checkTableName', () => {
  it('accepts plain identifiers', () => {
    for (const name of ['contacts', 'Contacts_2024', '_x', 'a'.repeat(63)]) expect(checkTableName(name)).toBe(name);
  });

  it.each(['', '1abc', 'a-b', 'a b', 'x"; DROP TABLE contacts; --', 'a'.repeat(64), 'contact_imports', 'CONTACT_IMPORTS', 'sqlite_master', 'Sqlite_x', 'contact_import_migrations', 'contact_import_changes', 'Contact_Import_Staging', 'contact_imports_table_file_id_idx', 'é'])(
    'rejects %j with USAGE and a hint',
    (name) => {
      const error = thrownBy(() => checkTableName(name));
      expect(error.code).toBe('USAGE');
      expect(error.hint).toBeTruthy();
    },
  );

  it('reserves every name of the tool\'s own tables, saying so', () => {
    for (const name of ['contact_import_changes', 'CONTACT_IMPORTS', 'contact_import_migrations', 'contact_import_staging']) {
      const error = thrownBy(() => checkTableName(name));
      expect(error.message).toBe(`table name "${name}" is reserved for contact-import's own records`);
      expect(error.hint).toBe('give table a name that does not start with contact_import, e.g. contacts');
      expect(error.options).toEqual(['table']);
    }
    expect(checkTableName('contacts_imported')).toBe('contacts_imported');
  });

  it('checks schema names the same way, keeping pg_ names for the server', () => {
    expect(checkSchemaName('crm_2024')).toBe('crm_2024');
    for (const name of ['', 'a-b', 'pg_catalog', 'PG_x', 'information_schema', 'a'.repeat(64)]) {
      const error = thrownBy(() => checkSchemaName(name));
      expect(error.code).toBe('USAGE');
      expect(error.hint).toMatch(/^give schema a name of letters/);
      expect(error.options).toEqual(['schema']);
    }
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});
