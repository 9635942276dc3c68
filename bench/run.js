// npm run bench — generates contacts files and measures each step in a fresh process.
// Prints a table and writes bench/out/results.json. Sizes: BENCH_ROWS (default 100000).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateContacts } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const sizes = (process.env.BENCH_ROWS ?? '100000').split(',').map(Number);
const results = [];

function step(...args) {
  const stdout = execFileSync(process.execPath, [path.join(here, 'step.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MAX_ROWS_ALLOWED: '2000000', MAX_FILE_SIZE_MB: '1000' },
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

for (const rows of sizes) {
  const csv = path.join(out, `contacts-${rows}.csv`);
  generateContacts(csv, rows);
  const mb = fs.statSync(csv).size / 1024 / 1024;
  const home = path.join(out, `home-${rows}`);
  const uploaded = step('upload', home, csv);
  const fileId = uploaded.detail.fileId;
  const analyzed = step('analyze', home, fileId);
  const db = path.join(out, `contacts-${rows}.db`);
  const imported = step('import', home, fileId, `sqlite:${db}`);
  for (const r of [uploaded, analyzed, imported]) {
    results.push({ rows, mb: +mb.toFixed(1), step: r.step, seconds: +(r.ms / 1000).toFixed(2), rowsPerSecond: Math.round(rows / (r.ms / 1000)), mbPerSecond: +(mb / (r.ms / 1000)).toFixed(1), peakRssMb: Math.round(r.maxRssMb) });
  }
}
console.table(results);
fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`results: ${path.join(out, 'results.json')}`);
