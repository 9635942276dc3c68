import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT, scratchDir } from '../helpers/cli.js';

// The README's Quick start, run verbatim top to bottom in a fresh folder: each command's stated
// result must be what a reader following it sees. `npx contact-import` is the built binary.

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Commands'));
const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1].split('\n').filter((line) => line.trim() !== ''));

const scratch = scratchDir('ci-quick-start-');
afterAll(() => scratch.cleanup());

/** Runs every line in one shell (so FILE_ID carries over); each line's stdout and stderr apart. */
function runAll(): Array<{ command: string; stdout: string; stderr: string }> {
  fs.cpSync(FIXTURES, path.join(scratch.dir, 'fixtures'), { recursive: true });
  const bin = path.join(scratch.dir, 'bin');
  fs.mkdirSync(bin);
  // `npx contact-import …` → the built CLI (as `npx` resolves it in the repository folder).
  fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n[ "$1" = contact-import ] && shift\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
  const script = commands
    .map((command, i) => `{ ${command.replace(/\s+#.*$/, '')} ; } > out.${i} 2> err.${i} || { echo "line ${i} failed: $?" >&2; exit 1; }`)
    .join('\n');
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1', CI: 'true' } as NodeJS.ProcessEnv;
  for (const key of ['CONTACT_IMPORT_HOME', 'DATABASE_URL', 'REDIS_URL', 'S3_BUCKET_NAME']) delete env[key];
  execFileSync('/bin/bash', ['-e', '-c', script], { cwd: scratch.dir, env });
  return commands.map((command, i) => ({
    command,
    stdout: fs.readFileSync(path.join(scratch.dir, `out.${i}`), 'utf8'),
    stderr: fs.readFileSync(path.join(scratch.dir, `err.${i}`), 'utf8'),
  }));
}

describe('README Quick start, verbatim', () => {
  it('every stated result holds when followed top to bottom', () => {
    expect(commands).toHaveLength(8);
    const [upload, analyze, map, preview, importRun, history, run, again] = runAll();
    expect(upload.command).toMatch(/^FILE_ID=\$\(npx contact-import upload/);
    // "prints a profile" / "12 rows: 9 valid, 3 invalid, 1 duplicate emails"
    expect(analyze.stdout).toMatch(/12 rows: 9 valid, 3 invalid, 1 duplicate emails/);
    expect(analyze.stdout).toMatch(/fileId: file_/);
    expect(map.stdout).toMatch(/Email Address\s*│ email/);
    // "the 4 rows import will reject"
    expect(preview.stdout.match(/^│ \d+ /gm)).toHaveLength(4);
    expect(preview.stderr).toMatch(/4 rows/);
    // "imported 8, skipped 4"
    expect(importRun.stdout).toMatch(/imported\s+8/);
    expect(importRun.stdout).toMatch(/skipped\s+4/);
    // "completed, rows 12/12, imported 8"
    expect(history.stdout).toMatch(/completed\s*│ contacts\.csv.*│ 12\/12\s*│ 8 /);
    expect(run.stdout).toMatch(/imported\s+8/);
    expect(run.stdout).toMatch(/skipped\s+4/);
    expect(again.stdout).toMatch(/imported\s+0/);
    expect(again.stdout).toMatch(/skipped\s+12/);
    // "rejected.csv lists those 4"; "neither way leaves a copy of the file in uploads/"
    expect(fs.readFileSync(path.join(scratch.dir, 'rejected.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(fs.readdirSync(path.join(scratch.dir, '.contact-import', 'uploads'))).toEqual([]);
  }, 120_000);
});
