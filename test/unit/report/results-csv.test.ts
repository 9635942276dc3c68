import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsCsv } from '../../../src/report/results-csv.js';

describe('ResultsCsv', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-results-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('neutralizes formula-like cells, header included, and keeps the rest verbatim', async () => {
    const file = path.join(dir, 'out', 'rejected.csv');
    const csv = await ResultsCsv.open(file, ['=Email', 'Name', '_row']);
    await csv.add(['=HYPERLINK("http://x")', '+1 555', '7']);
    await csv.add(['-2', '@SUM(A1)', '8']);
    await csv.add(['\tTab', '\rCR', '9']);
    await csv.add(['a=b', 'Zoë, "Z" \n second line', '10']);
    expect(await csv.commit()).toBe(file);
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual([
      ["'=Email", 'Name', '_row'],
      [`'=HYPERLINK("http://x")`, "'+1 555", '7'],
      ["'-2", "'@SUM(A1)", '8'],
      ["'\tTab", "'\rCR", '9'],
      ['a=b', 'Zoë, "Z" \n second line', '10'],
    ]);
  });

  it('shows nothing under the real name until committed, and nothing at all once discarded', async () => {
    const file = path.join(dir, 'rejected.csv');
    const csv = await ResultsCsv.open(file, ['Email']);
    await csv.add(['a@b.co']);
    expect(fs.existsSync(file)).toBe(false);
    await csv.discard();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
