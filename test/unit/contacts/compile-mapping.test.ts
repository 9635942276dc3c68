import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '../../../src/contacts/compile-mapping.js';
import { ImportError } from '../../../src/errors.js';

const columns = ['Email Address', 'First Name', 'Last Name', 'Phone', 'Notes'];

function badMapping(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).code).toBe('BAD_MAPPING');
    return error as ImportError;
  }
  throw new Error('expected BAD_MAPPING');
}

describe('compileMapping', () => {
  it('builds entries in column order and drops skipped columns', () => {
    const plan = compileMapping(
      { Notes: 'notes', 'First Name': 'firstName', 'Email Address': 'email', Phone: 'skip', 'Last Name': '' },
      columns,
    );
    expect(plan.entries).toEqual([
      { index: 0, column: 'Email Address', field: 'email' },
      { index: 1, column: 'First Name', field: 'firstName' },
      { index: 4, column: 'Notes', field: 'notes' },
    ]);
    expect({ ...plan.mapping }).toEqual({ 'Email Address': 'email', 'First Name': 'firstName', Notes: 'notes' });
    expect(Object.getPrototypeOf(plan.mapping)).toBeNull();
  });

  it('treats null as skip (JSON mappings)', () => {
    const mapping = JSON.parse('{"Email Address":"email","First Name":"firstName","Phone":null}');
    expect(compileMapping(mapping, columns).entries).toHaveLength(2);
  });

  it('accepts field names by label or table column too', () => {
    const plan = compileMapping({ 'Email Address': 'Email', 'First Name': 'first_name', Phone: 'PHONE' }, columns);
    expect(plan.entries.map((e) => e.field)).toEqual(['email', 'firstName', 'phone']);
  });

  it('maps __proto__ and constructor headers safely', () => {
    const cols = ['__proto__', 'constructor', 'toString'];
    const mapping = JSON.parse('{"__proto__":"email","constructor":"firstName","toString":"notes"}');
    expect(Object.keys(mapping)).toContain('__proto__');
    const plan = compileMapping(mapping, cols);
    expect(Object.keys(plan.mapping)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(plan.mapping['__proto__']).toBe('email');
    expect(plan.mapping['constructor']).toBe('firstName');
    const fields = applyMapping(plan, ['a@b.co', 'Ann', 'hi']);
    expect(fields).toEqual({ email: 'a@b.co', firstName: 'Ann', notes: 'hi' });
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('rejects a column the file does not have, suggesting the closest', () => {
    const error = badMapping(() => compileMapping({ 'Emial Address': 'email', 'First Name': 'firstName' }, columns));
    expect(error.message).toBe('Column "Emial Address" is not in the file');
    expect(error.hint).toContain('"Email Address"');
    expect(error.place.column).toBe('Emial Address');
  });

  it('lists the columns when nothing is close', () => {
    const error = badMapping(() => compileMapping({ Zzzzzzzzzzzzzz: 'email' }, columns));
    expect(error.hint).toContain('"Email Address", "First Name"');
  });

  it('forgives stray spaces around a column name', () => {
    const plan = compileMapping({ 'Email Address ': 'email', ' First Name': 'firstName' }, columns);
    expect(plan.entries.map((e) => e.column)).toEqual(['Email Address', 'First Name']);
  });

  it('rejects an unknown field, listing the valid ones', () => {
    const error = badMapping(() => compileMapping({ 'Email Address': 'emial', 'First Name': 'firstName' }, columns));
    expect(error.message).toBe('Column "Email Address" is mapped to unknown field "emial"');
    expect(error.hint).toContain('email, firstName, lastName, phone');
    badMapping(() => compileMapping({ 'Email Address': 42 } as never, columns));
    badMapping(() => compileMapping({ 'Email Address': '__proto__' }, columns));
  });

  it('rejects two columns on one field, naming both', () => {
    const error = badMapping(() =>
      compileMapping({ 'Email Address': 'email', 'First Name': 'firstName', Notes: 'email' }, columns),
    );
    expect(error.message).toBe('Columns "Email Address" and "Notes" are both mapped to email');
  });

  it('rejects one column mapped twice through a spacing variant', () => {
    const error = badMapping(() =>
      compileMapping({ 'Email Address': 'email', 'Email Address ': 'notes', 'First Name': 'firstName' }, columns),
    );
    expect(error.message).toBe('Column "Email Address" is mapped twice');
  });

  it('requires email and firstName', () => {
    const error = badMapping(() => compileMapping({ Phone: 'phone' }, columns));
    expect(error.message).toBe('Required fields Email (email) and First Name (firstName) not mapped');
    const one = badMapping(() => compileMapping({ 'Email Address': 'email' }, columns));
    expect(one.message).toBe('Required field First Name (firstName) not mapped');
    expect(one.hint).toContain('firstName');
  });

  it('lets analyze compile a mapping without required fields', () => {
    const plan = compileMapping({ Phone: 'phone' }, columns, { requireFields: false });
    expect(plan.entries).toEqual([{ index: 3, column: 'Phone', field: 'phone' }]);
  });

  it('rejects a mapping that is not an object', () => {
    badMapping(() => compileMapping(null as never, columns));
    badMapping(() => compileMapping(['email'] as never, columns));
  });

  it('uses the first column when a header name repeats', () => {
    const plan = compileMapping({ Email: 'email', Name: 'firstName' }, ['Email', 'Name', 'Email']);
    expect(plan.entries[0]).toEqual({ index: 0, column: 'Email', field: 'email' });
  });
});

describe('applyMapping', () => {
  it('picks mapped values and fills missing trailing values with ""', () => {
    const plan = compileMapping({ 'Email Address': 'email', 'First Name': 'firstName', Notes: 'notes' }, columns);
    expect(applyMapping(plan, ['a@b.co', 'Ann', 'Lee', '555', 'n'])).toEqual({ email: 'a@b.co', firstName: 'Ann', notes: 'n' });
    expect(applyMapping(plan, ['a@b.co'])).toEqual({ email: 'a@b.co', firstName: '', notes: '' });
  });
});
