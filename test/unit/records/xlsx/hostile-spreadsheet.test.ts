import { describe, expect, it } from 'vitest';
import { workbookEntries } from '../../../../fixtures/workbook-writer.mjs';
import { zip } from '../../../../fixtures/zip-writer.mjs';
import type { ImportError } from '../../../../src/errors.js';
import { caught, readAll, valuesOf } from '../records-test-helpers.js';

const strings = ['Email', 'First Name', 'Company', 'ann@example.com', 'Ann', 'Acme', 'bob@example.com', 'Bob'];
const s = (ref: string, text: string) => `<c r="${ref}" t="s"><v>${strings.indexOf(text)}</v></c>`;
const HEADER = `<row r="1">${s('A1', 'Email')}${s('B1', 'First Name')}${s('C1', 'Company')}</row>`;
const read = (bytes: Buffer) => readAll(bytes, { kind: 'xlsx', fileName: 'book.xlsx' });

describe('hostile spreadsheets', () => {
  it('pays nothing for a huge declared dimension', async () => {
    const bytes = zip(
      workbookEntries({
        strings,
        dimension: 'A1:XFD1048576',
        rows: `${HEADER}<row r="2">${s('A2', 'ann@example.com')}${s('B2', 'Ann')}</row>`,
      }),
    );
    const started = Date.now();
    const result = await read(bytes);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.columns).toEqual(['Email', 'First Name', 'Company']);
    expect(valuesOf(result)).toEqual([['ann@example.com', 'Ann', '']]);
  });

  it('refuses a lone cell in the last column as too wide, quickly', async () => {
    const bytes = zip(workbookEntries({ strings, rows: `${HEADER}<row r="1048576">${s('XFD1048576', 'Ann')}</row>` }));
    const started = Date.now();
    const error = (await caught(() => read(bytes))) as ImportError;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/16384 columns/);
  });

  it('gives a merged range its value in the top-left cell only', async () => {
    const bytes = zip(
      workbookEntries({
        strings,
        rows:
          HEADER +
          `<row r="2">${s('A2', 'ann@example.com')}${s('B2', 'Ann')}${s('C2', 'Acme')}</row>` +
          `<row r="3">${s('A3', 'bob@example.com')}${s('B3', 'Bob')}</row>`,
        after: '<mergeCells count="1"><mergeCell ref="C2:C3"/></mergeCells>',
      }),
    );
    expect(valuesOf(await read(bytes))).toEqual([
      ['ann@example.com', 'Ann', 'Acme'],
      ['bob@example.com', 'Bob', ''],
    ]);
  });

  it('removes control characters from cells, and keeps a NUL for the field rules', async () => {
    const rows =
      HEADER +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>ann@example.com</t></is></c>' +
      '<c r="B2" t="inlineStr"><is><t>A_x0007_nn</t></is></c><c r="C2" t="inlineStr"><is><t>Ac_x0000_me</t></is></c></row>';
    const result = await read(zip(workbookEntries({ strings, rows })));
    expect(valuesOf(result)).toEqual([['ann@example.com', 'Ann', 'Ac\u0000me']]);
    expect(result.warnings()).toEqual([
      'removed 1 invisible control character or escape sequence (U+0007) from the values on line 2',
    ]);
  });
});
