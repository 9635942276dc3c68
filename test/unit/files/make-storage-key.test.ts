import { describe, expect, it } from 'vitest';
import { isUploadKey, makeStorageKey, sanitizeFileName } from '../../../src/files/make-storage-key.js';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

describe('makeStorageKey', () => {
  it('builds uploads/<timestamp>-<6 base36>-<name>', () => {
    const key = makeStorageKey('contacts.csv', 1732400000000);
    expect(key).toMatch(/^uploads\/1732400000000-[0-9a-z]{6}-contacts\.csv$/);
  });

  it('gives different keys for the same name and time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => makeStorageKey('a.csv', 1)));
    expect(keys.size).toBeGreaterThan(45);
  });

  it('defaults the timestamp to now', () => {
    const before = Date.now();
    const stamp = Number(makeStorageKey('x.csv').split('/')[1]!.split('-')[0]);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Date.now());
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['contacts.csv', 'contacts.csv'],
    ['My Contacts (2024).xlsx', 'My_Contacts_2024.xlsx'],
    ['../../etc/passwd', 'etc_passwd'],
    ['a//b', 'a_b'],
    ['.hidden.csv', 'hidden.csv'],
    ['...', 'file'],
    ['', 'file'],
    ['контакты.csv', 'file.csv'],
    ['tab\there\nnew\u0000line.csv', 'tab_here_new_line.csv'],
    ['a___b---c...d.csv', 'a_b-c.d.csv'],
    ['C:\\Users\\me\\list.tsv', 'C_Users_me_list.tsv'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('caps long names at 100 characters and keeps the extension', () => {
    const name = sanitizeFileName(`${'x'.repeat(5000)}.csv`);
    expect(name).toHaveLength(100);
    expect(name.endsWith('.csv')).toBe(true);
  });

  it('always yields one harmless path segment', () => {
    const nasty = ['../..', '/', '\\\\server\\share', '\u202e.csv', ' .', '-rf', '~/x', 'a/../../b.xls', '\r\n'];
    for (const input of nasty) {
      const name = sanitizeFileName(input);
      expect(name, input).toMatch(SAFE);
      expect(name.length).toBeLessThanOrEqual(100);
      expect(name).not.toContain('..');
    }
  });
});

describe('isUploadKey', () => {
  it('accepts every key makeStorageKey makes', () => {
    for (const name of ['contacts.csv', '../../etc/passwd', '.hidden', 'контакты.xlsx', 'x'.repeat(300)]) {
      expect(isUploadKey(makeStorageKey(name))).toBe(true);
    }
  });

  it.each([
    'templates/crm.json',
    'state/upload%3Afile_x.json',
    'uploads/',
    'uploads/../templates/crm.json',
    'uploads/a/b.csv',
    'uploads/.a.csv.1234.part',
    'uploads\\..\\x',
    '/etc/passwd',
    'Uploads/x.csv',
    `uploads/${'a'.repeat(200)}`,
  ])('refuses %s', (key) => {
    expect(isUploadKey(key)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const key of [undefined, null, 42, ['uploads/x.csv'], { key: 'uploads/x.csv' }]) expect(isUploadKey(key)).toBe(false);
  });
});
