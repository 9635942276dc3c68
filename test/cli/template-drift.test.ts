// Templates and header drift on a weekly Salesforce report (fixtures/real-world/salesforce-week*.csv):
// a template records the header it was made from; `run` and `map` without a mapping flag pick
// the saved template the file fits; every use reports missing and new columns; --strict-columns
// refuses drift before anything is written; a required column the file lacks is named.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';

const scratch = scratchDir('ci-template-drift-');
afterAll(() => scratch.cleanup());
const cwd = scratch.dir;
const week = (n: number) => path.join(FIXTURES, 'real-world', `salesforce-week${n}.csv`);
const SLOW = { timeout: 120_000 };
let n = 0;
/** A home holding the template "sf", made from week 1 with --auto. */
const homeWithTemplate = () => {
  const home = path.join(cwd, `home-${++n}`);
  fs.cpSync(path.join(cwd, 'base-home'), home, { recursive: true });
  return ['--home', home];
};
const db = () => `sqlite:${path.join(cwd, `contacts-${++n}.db`)}`;
const count = (url: string) => {
  const file = url.slice('sqlite:'.length);
  if (!fs.existsSync(file)) return 0;
  const contacts = new Database(file, { readonly: true });
  try {
    return (contacts.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n;
  } finally {
    contacts.close();
  }
};

beforeAll(async () => {
  const home = ['--home', path.join(cwd, 'base-home')];
  const analyzed = await runCli(['analyze', week(1), '--json', ...home], { cwd });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const saved = await runCli(['map', '--file-id', analyzed.json().fileId, '--auto', '--save-template', 'sf', ...home], { cwd });
  expect(saved.code, saved.stderr).toBe(0);
}, 120_000);

describe.concurrent('templates and drift', () => {
  it('a template records the header signature it was made from', () => {
    const template = JSON.parse(fs.readFileSync(path.join(cwd, 'base-home', 'templates', 'sf.json'), 'utf8'));
    expect(template.columns).toEqual(['Contact ID', 'First Name', 'Last Name', 'Job Title', 'Account Name', 'Email', 'Phone', 'Mailing City', 'Mailing Country']);
    expect(template.mapping).toMatchObject({ Email: 'email', 'Job Title': 'title' });
  });

  it('run with no mapping flag picks the template the file has exactly, saying so', SLOW, async () => {
    const url = db();
    const result = await runCli(['run', week(1), '--database', url, '--json', ...homeWithTemplate()], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ imported: 2, template: { name: 'sf', how: 'exact', reason: 'picked: the file has exactly its columns', missing: [], added: [] } });
    expect(result.json().warnings).toBeUndefined();
    expect(result.stderr).toContain('using template "sf" (picked: the file has exactly its columns)');
  });

  it('a renamed column: picked as the best match, the drift reported in JSON and on stderr', SLOW, async () => {
    const url = db();
    const result = await runCli(['run', week(2), '--database', url, '--json', ...homeWithTemplate()], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const json = result.json();
    expect(json.template).toMatchObject({ name: 'sf', how: 'best', score: 0.8, missing: ['Job Title'], added: ['Title'] });
    expect(json.template.reason).toBe('picked: the closest saved template, 80% of the columns shared (at least 80% needed)');
    const drift = 'template "sf": the file lacks "Job Title" (title); new column not in the template: "Title"';
    expect(json.warnings).toEqual([drift]);
    expect(result.stderr).toContain(drift);
    expect(count(url)).toBe(2);

    // Named explicitly, the same drift is reported too (it used to be dropped without a word).
    const human = await runCli(['run', week(2), '--template', 'sf', '--database', db(), ...homeWithTemplate()], { cwd });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toContain(`warning: ${drift}`);
  });

  it('--strict-columns turns drift into exit 2 before anything is written', SLOW, async () => {
    const url = db();
    const result = await runCli(['run', week(2), '--template', 'sf', '--strict-columns', '--database', url, ...homeWithTemplate()], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the file's columns differ from the template (template "sf": the file lacks "Job Title" (title); new column not in the template: "Title"); nothing was imported`);
    expect(result.stderr).toContain('or leave out --strict-columns');
    expect(count(url)).toBe(0);
    // Without drift, --strict-columns changes nothing.
    const exact = await runCli(['run', week(1), '--strict-columns', '--database', url, ...homeWithTemplate()], { cwd });
    expect(exact.code, exact.stderr).toBe(0);
  });

  it('when no template fits, run exits 2 naming the closest and the columns that differ', SLOW, async () => {
    const url = db();
    const result = await runCli(['run', week(3), '--database', url, ...homeWithTemplate()], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'no saved template fits the columns of salesforce-week3.csv: the closest, "sf", shares 50% of them (the file lacks "Job Title" (title), "Email" (email), "Phone" (phone); new columns not in the template: "Title", "Email Address", "Mobile")',
    );
    expect(count(url)).toBe(0);
  });

  it('a required column the file lacks names the template column it expected', SLOW, async () => {
    const result = await runCli(['run', week(3), '--template', 'sf', '--database', db(), ...homeWithTemplate()], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Required field Email (email) not mapped: template "sf" expects it in column "Email", which this file lacks');
    expect(result.stderr).toContain('--set "Column=email"');
  });

  it('map with no mapping flag and no terminal uses the template the file fits, with the same report', SLOW, async () => {
    const home = homeWithTemplate();
    const analyzed = await runCli(['analyze', week(2), '--json', ...home], { cwd });
    const mapped = await runCli(['map', '--file-id', analyzed.json().fileId, '--json', ...home], { cwd });
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(mapped.json()).toMatchObject({
      success: true,
      template: { name: 'sf', how: 'best', missing: ['Job Title'], added: ['Title'] },
      warnings: ['template "sf": the file lacks "Job Title" (title); new column not in the template: "Title"'],
    });
    expect(mapped.json().mapping).not.toHaveProperty('Title');
    expect(mapped.stderr).toContain('using template "sf" (picked: the closest saved template, 80% of the columns shared');

    // Week 3 fits no template: without a terminal, map still needs a flag.
    const other = await runCli(['analyze', week(3), '--json', ...home], { cwd });
    const refused = await runCli(['map', '--file-id', other.json().fileId, ...home], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/map needs a terminal to ask/);
  });
});
