import { describe, expect, it } from 'vitest';
import { isBlankRow, shapeRow } from '../../../src/records/shape-row.js';

describe('shapeRow', () => {
  it('keeps a row of the header width as is', () => {
    expect(shapeRow(['a', 'b'], 2)).toEqual({ values: ['a', 'b'] });
  });

  it('drops blank extra fields silently (trailing delimiter)', () => {
    expect(shapeRow(['a', 'b', '', ' '], 2)).toEqual({ values: ['a', 'b'] });
  });

  it('cuts extra fields with data and reports them', () => {
    expect(shapeRow(['a', 'b', 'c', '', 'e', 'f', 'g'], 5)).toEqual({
      values: ['a', 'b', 'c', '', 'e'],
      problems: ['row has 7 fields but the header has 5'],
    });
  });

  it('pads short rows and reports them', () => {
    expect(shapeRow(['a', 'b', 'c'], 5)).toEqual({
      values: ['a', 'b', 'c', '', ''],
      problems: ['row has 3 fields but the header has 5'],
    });
  });

  it('keeps problems found earlier', () => {
    expect(shapeRow(['a'], 1, ['cell A2 has the error #N/A'])).toEqual({
      values: ['a'],
      problems: ['cell A2 has the error #N/A'],
    });
  });
});

describe('isBlankRow', () => {
  it('is true only when every value is blank', () => {
    expect(isBlankRow(['', ' ', '\t'])).toBe(true);
    expect(isBlankRow(['', 'x'])).toBe(false);
  });
});
