import { describe, expect, it } from 'vitest';
import { findHeaderRow } from '../../../../src/records/detect/find-header-row.js';

const rows = (...lines: string[]) => lines.map((line) => line.split(','));

describe('findHeaderRow', () => {
  it('takes the first row of an ordinary file', () => {
    expect(findHeaderRow(rows('Email,First Name,Last Name', 'a@b.c,Ann,Lee', 'b@c.d,Bob,Ray'))).toBe(0);
  });

  it('skips a title block, with or without trailing delimiters', () => {
    expect(findHeaderRow(rows('Contacts export', 'Generated 2024-01-01', 'Email,First,Last,Phone', 'a,b,c,d', 'e,f,g,h'))).toBe(2);
    expect(findHeaderRow(rows('Contacts export,,,', 'Email,First,Last,Phone', 'a,b,c,d'))).toBe(1);
    // A key/value line fills two cells of six: still a title.
    expect(findHeaderRow(rows('Exported by,ExampleCRM,,,,', 'a,b,c,d,e,f', '1,2,3,4,5,6', '1,2,3,4,5,6'))).toBe(1);
  });

  it('finds the header above a table with no rows yet', () => {
    expect(findHeaderRow(rows('Contacts export', 'Email,First Name'))).toBe(1);
  });

  it('keeps a header over sparse data, trailing empty header names and single-column files', () => {
    // Optional columns mostly empty: the header is wider than the rows.
    expect(findHeaderRow(rows('Email,First,Last,Phone,Notes', 'a@b.c,Ann,,,', 'b@c.d,Bob,,,'))).toBe(0);
    // Two named columns of four, with data under all four.
    expect(findHeaderRow(rows('Email,Name,,', 'a,b,c,d', 'e,f,g,h'))).toBe(0);
    expect(findHeaderRow(rows('Email', 'a@b.c', 'b@c.d'))).toBe(0);
    expect(findHeaderRow(rows('Email,Name'))).toBe(0);
    expect(findHeaderRow([])).toBe(0);
  });

  it('does not take a long run of short rows for a title block', () => {
    const short = Array.from({ length: 12 }, () => 'x');
    expect(findHeaderRow(rows(...short, 'a,b,c', 'd,e,f'))).toBe(0);
  });
});
