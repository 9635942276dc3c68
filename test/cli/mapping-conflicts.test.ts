// Mapping flags that contradict each other are refused (exit 2) naming both, before anything
// is read or stored: `map --template crm --mapping bad.json` used to exit 0 without reading
// the (malformed) file, and `--template X --auto` ignored --auto.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';

const scratch = scratchDir('ci-mapping-conflicts-');
afterAll(() => scratch.cleanup());
const cwd = scratch.dir;
const home = ['--home', path.join(cwd, 'home')];
const GOOGLE = path.join(FIXTURES, 'real-world', 'google-contacts.csv');
const SLOW = { timeout: 120_000 };

describe('conflicting mapping flags', () => {
  it('map: --template with --mapping, --template with --auto, one column given two fields', SLOW, async () => {
    const analyzed = await runCli(['analyze', GOOGLE, '--json', ...home], { cwd });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const { fileId } = analyzed.json();
    const saved = await runCli(['map', '--file-id', fileId, '--auto', '--save-template', 'google', ...home], { cwd });
    expect(saved.code, saved.stderr).toBe(0);
    const bad = path.join(cwd, 'bad.json');
    fs.writeFileSync(bad, '{"E-mail 1 - Value": ');

    const both = await runCli(['map', '--file-id', fileId, '--template', 'google', '--mapping', bad, ...home], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`two mappings given: template "google" and mapping file ${bad}`);
    expect(both.stderr).toContain('give only one of --template and --mapping (--set adds assignments to either)');
    expect(both.stderr.trim().split('\n')).toHaveLength(1);

    const auto = await runCli(['map', '--file-id', fileId, '--template', 'google', '--auto', '--json', ...home], { cwd });
    expect(auto.code).toBe(2);
    expect(auto.json()).toMatchObject({ success: false, error: { code: 'USAGE', message: 'two mappings given: template "google" and the suggested mapping (auto)' } });

    const twice = await runCli(['map', '--file-id', fileId, '--auto', '--set', 'Phone 1 - Value=phone', '--set', 'Phone 1 - Value=notes', ...home], { cwd });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('column "Phone 1 - Value" is assigned twice: Phone 1 - Value=phone and Phone 1 - Value=notes');
  });

  it('run: refused before the file is stored', SLOW, async () => {
    const own = ['--home', path.join(cwd, 'run-home')];
    const result = await runCli(['run', GOOGLE, '--auto', '--mapping', path.join(FIXTURES, 'mapping.json'), '--database', `sqlite:${path.join(cwd, 'x.db')}`, ...own], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/two mappings given: mapping file .*mapping\.json and the suggested mapping \(auto\)/);
    expect(result.stderr).toContain('give only one of --mapping and --auto');
    expect(fs.existsSync(path.join(cwd, 'run-home', 'uploads')) ? fs.readdirSync(path.join(cwd, 'run-home', 'uploads')) : []).toEqual([]);
    expect(fs.existsSync(path.join(cwd, 'x.db'))).toBe(false);
  });
});
