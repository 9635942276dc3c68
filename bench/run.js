// npm run bench — generates contacts files and measures each step in a fresh process, side by
// side with `sqlite3 .import` and `psql \copy` of the same file. Prints a table and writes
// bench/out/results.json. Environment:
//   BENCH_ROWS        CSV sizes, comma-separated (default 100000,1000000,2000000); e.g.
//                     BENCH_ROWS=100000 for a quick run
//   BENCH_TARGET_ROWS the size the targets are judged at (default 1000000 when measured, else the largest)
//   BENCH_DATA        realistic (default: the file the targets are judged on) or easy (the old
//                     file: one US phone format, sequential emails)
//   BENCH_RUNS        runs per measurement; the median time is reported (default 3)
//   BENCH_XLSX_ROWS   rows of the generated workbook (default 100000; 0 skips it)
//   BENCH_S3_MB       size of the file uploaded to the in-process S3 server (default 100; 0 skips it)
//   BENCH_SERVE_ROWS  rows of the file `serve` analyzes idle and under 20 clients (default 500000; 0 skips it)
//   BENCH_QUEUE_ROWS  rows of each of the 10 files analyzed and imported through 1, then 2,
//                     `contact-import worker` processes (BullMQ on Redis; default 100000; 0 skips it)
//   BENCH_REDIS_URL   Redis for the queue step (default redis://127.0.0.1:6379); it needs PostgreSQL too
//   BENCH_POSTGRES_URL PostgreSQL server (default DATABASE_URL when it is postgres://, else
//                     postgres://postgres@127.0.0.1:5432/test); unreachable: its steps are skipped
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { dropSchema, hasTool, postgresReachable, psqlCopy, sqliteImport } from './baselines.js';
import { contactsFileName, generateContacts } from './generate.js';
import { startS3Server } from './s3-server.js';
import { queueWorkers } from './queue-workers.js';
import { serveUnderLoad } from './serve-load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const sizes = (process.env.BENCH_ROWS ?? '100000,1000000,2000000').split(',').map(Number);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const xlsxRows = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);
const s3Mb = Number(process.env.BENCH_S3_MB ?? 100);
const serveRows = Number(process.env.BENCH_SERVE_ROWS ?? 500_000);
const queueRows = Number(process.env.BENCH_QUEUE_ROWS ?? 100_000);
const QUEUE_FILES = 10;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const pgUrl =
  process.env.BENCH_POSTGRES_URL ??
  (/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/test');
const MB = 1024 * 1024;
const TARGETS = { analyze: 2, 'import SQLite': 2.5, 'import PostgreSQL': 2.5 };

// Steps see local storage and file state unless told otherwise, and limits that fit 1M rows.
const stepEnv = { ...process.env, MAX_ROWS_ALLOWED: '5000000', MAX_FILE_SIZE_MB: '2000' };
for (const name of ['S3_BUCKET_NAME', 'REDIS_URL', 'DATABASE_URL']) delete stepEnv[name];

fs.mkdirSync(out, { recursive: true });
for (const name of fs.readdirSync(out)) {
  if (/^(home|db|run)-/.test(name)) fs.rmSync(path.join(out, name), { recursive: true, force: true });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const log = (text) => process.stderr.write(`${text}\n`);

async function step(args, env = stepEnv) {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(here, 'step.js'), ...args], {
    env,
    maxBuffer: 16 * MB,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** Runs `once` BENCH_RUNS times: median time, highest peak RSS. */
async function repeat(label, once) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await once(i));
    log(`  ${label} #${i + 1}: ${(samples.at(-1).ms / 1000).toFixed(2)} s`);
  }
  const rss = samples.map((s) => s.maxRssMb).filter((v) => v !== undefined);
  const cpu = samples.map((s) => s.cpuMs).filter((v) => v !== undefined);
  return {
    ms: median(samples.map((s) => s.ms)),
    cpuMs: cpu.length === samples.length ? median(cpu) : undefined,
    maxRssMb: rss.length > 0 ? Math.max(...rss) : undefined,
    detail: samples[0].detail,
  };
}

/** A copy of a prepared home (session state copied, the upload hard-linked) for one import. */
function cloneHome(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}uploads${path.sep}`) });
  const uploads = path.join(from, 'uploads');
  for (const name of fs.readdirSync(uploads, { recursive: true })) {
    const source = path.join(uploads, name);
    if (fs.statSync(source).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(to, 'uploads', name)), { recursive: true });
    fs.linkSync(source, path.join(to, 'uploads', name));
  }
}

const results = [];
/** `indexed`: the same native load into a table with an email index, shown beside the plain one (the targets are on the plain one). */
function record(rows, mb, name, measured, baseline, indexed) {
  const seconds = measured.ms / 1000;
  const entry = {
    rows,
    mb: +mb.toFixed(1),
    step: name,
    seconds: +seconds.toFixed(2),
    baseline: baseline?.name ?? null,
    baselineSeconds: baseline ? +(baseline.ms / 1000).toFixed(2) : null,
    baselineRssMb: baseline?.maxRssMb === undefined ? null : Math.round(baseline.maxRssMb),
    ratio: baseline ? +(measured.ms / baseline.ms).toFixed(2) : null,
    indexedBaselineSeconds: indexed ? +(indexed.ms / 1000).toFixed(2) : null,
    indexedRatio: indexed ? +(measured.ms / indexed.ms).toFixed(2) : null,
    cpuSeconds: measured.cpuMs === undefined ? null : +(measured.cpuMs / 1000).toFixed(2),
    cpuRatio: baseline?.cpuMs && measured.cpuMs ? +(measured.cpuMs / baseline.cpuMs).toFixed(2) : null,
    target: TARGETS[name] !== undefined && baseline ? `≤ ${TARGETS[name]}×` : null,
    rowsPerSecond: rows ? Math.round(rows / seconds) : null,
    cpuUsPerRow: rows && measured.cpuMs !== undefined ? +((measured.cpuMs * 1000) / rows).toFixed(1) : null,
    mbPerSecond: +(mb / seconds).toFixed(1),
    peakRssMb: measured.maxRssMb === undefined ? null : Math.round(measured.maxRssMb),
    detail: measured.detail ?? null,
  };
  results.push(entry);
  return entry;
}

const notes = [];
const sqlite3 = hasTool('sqlite3');
const psql = hasTool('psql');
const postgres = await postgresReachable(pgUrl);
if (!sqlite3) notes.push('sqlite3 is not installed: no .import baseline');
if (!postgres) notes.push(`PostgreSQL is not reachable at ${pgUrl}: its steps are skipped`);
else if (!psql) notes.push('psql is not installed: no \\copy baseline');

for (const rows of sizes) {
  const csv = path.join(out, contactsFileName(rows));
  if (!fs.existsSync(csv)) {
    log(`generating ${rows} rows…`);
    generateContacts(csv, rows);
  }
  const mb = fs.statSync(csv).size / MB;
  log(`${rows} rows, ${mb.toFixed(1)} MB`);
  const home = path.join(out, `home-${rows}`);
  const { detail: uploaded } = await step(['upload', home, csv]);
  const fileId = uploaded.fileId;

  const sqliteBaseline = sqlite3
    ? { name: 'sqlite3 .import', ...(await repeat('sqlite3 .import', async () => sqliteImport(csv, path.join(out, `db-baseline-${rows}.db`)))) }
    : undefined;
  const sqliteIndexed = sqlite3
    ? await repeat('sqlite3 .import, email index', async () => sqliteImport(csv, path.join(out, `db-baseline-${rows}.db`), { indexed: true }))
    : undefined;
  const analyzed = await repeat('analyze', () => step(['analyze', home, fileId]));
  record(rows, mb, 'analyze', analyzed, sqliteBaseline);

  const importedSqlite = await repeat('import SQLite', async (i) => {
    const runHome = path.join(out, `run-${rows}-${i}`);
    const db = path.join(out, `db-${rows}-${i}.db`);
    cloneHome(home, runHome);
    try {
      return await step(['import', runHome, fileId, `sqlite:${db}`]);
    } finally {
      fs.rmSync(runHome, { recursive: true, force: true });
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${db}${suffix}`, { force: true });
    }
  });
  record(rows, mb, 'import SQLite', importedSqlite, sqliteBaseline, sqliteIndexed);

  if (postgres) {
    const copyBaseline = psql
      ? { name: 'psql \\copy', ...(await repeat('psql \\copy', () => psqlCopy(csv, pgUrl, `bench_copy_${process.pid}`))) }
      : undefined;
    const copyIndexed = psql ? await repeat('psql \\copy, email index', () => psqlCopy(csv, pgUrl, `bench_copy_${process.pid}`, { indexed: true })) : undefined;
    const importedPg = await repeat('import PostgreSQL', async (i) => {
      const runHome = path.join(out, `run-${rows}-pg-${i}`);
      const schema = `bench_${process.pid}_${i}`;
      cloneHome(home, runHome);
      try {
        return await step(['import', runHome, fileId, `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`]);
      } finally {
        fs.rmSync(runHome, { recursive: true, force: true });
        await dropSchema(pgUrl, schema);
      }
    });
    record(rows, mb, 'import PostgreSQL', importedPg, copyBaseline, copyIndexed);
  }
  fs.rmSync(home, { recursive: true, force: true });
}

if (xlsxRows > 0) {
  const xlsx = path.join(out, contactsFileName(xlsxRows).replace(/\.csv$/, '.xlsx'));
  if (!fs.existsSync(xlsx)) {
    log(`generating a ${xlsxRows}-row workbook…`);
    await promisify(execFile)(process.execPath, [path.join(here, 'generate-xlsx.js'), xlsx, String(xlsxRows)]);
  }
  const mb = fs.statSync(xlsx).size / MB;
  const home = path.join(out, 'home-xlsx');
  const { detail: uploaded } = await step(['upload', home, xlsx]);
  record(xlsxRows, mb, 'analyze XLSX', await repeat('analyze XLSX', () => step(['analyze', home, uploaded.fileId])));
  fs.rmSync(home, { recursive: true, force: true });
}

if (s3Mb > 0) {
  const file = path.join(out, `upload-${s3Mb}mb.csv`);
  if (!fs.existsSync(file)) {
    // Rows of the first size's file, as many as make s3Mb MiB.
    const probe = path.join(out, 'probe.csv');
    generateContacts(probe, 10_000);
    const perRow = fs.statSync(probe).size / 10_000;
    fs.rmSync(probe);
    generateContacts(file, Math.ceil((s3Mb * MB) / perRow));
  }
  const mb = fs.statSync(file).size / MB;
  const s3 = await startS3Server();
  try {
    const env = { ...stepEnv, ...s3.env };
    const uploaded = await repeat('upload S3', (i) => step(['upload', path.join(out, `home-s3-${i}`), file], env));
    record(null, mb, 'upload S3 (multipart)', uploaded);
  } finally {
    await s3.stop();
    for (let i = 0; i < runs; i++) fs.rmSync(path.join(out, `home-s3-${i}`), { recursive: true, force: true });
  }
}

// Issue 17: the server stays responsive during a long analysis, and the analysis barely slows.
let served;
if (serveRows > 0) {
  served = await serveUnderLoad({ rows: serveRows, out, env: stepEnv, log });
  const detail = { latency: served.latency, requestsPerSecond: served.requestsPerSecond, requests: served.requests, non2xx: served.non2xx, errors: served.errors };
  record(serveRows, served.mb, 'serve: analyze, idle', { ms: served.idleMs, maxRssMb: undefined });
  record(serveRows, served.mb, 'serve: analyze, 20 clients polling', { ms: served.loadedMs, maxRssMb: served.peakRssMb ?? undefined, detail });
  record(serveRows, served.mb, 'serve: import SQLite', { ms: served.importMs, maxRssMb: served.peakRssMb ?? undefined });
  log(`  serve under load: p50 ${served.latency.p50} ms, p99 ${served.latency.p99} ms, ${served.requestsPerSecond} req/s`);
}

// Issue 18: 10 files through 1 vs 2 worker processes, and a worker's death to another resuming.
let queued;
if (queueRows > 0 && postgres) {
  try {
    queued = await queueWorkers({ rows: queueRows, files: QUEUE_FILES, out, env: stepEnv, pgUrl, redisUrl, log });
    const mb = (fs.statSync(path.join(out, `queue-${queueRows}-0.csv`)).size * QUEUE_FILES) / MB;
    record(queueRows * QUEUE_FILES, mb, 'queue: analyze + import, 1 worker', { ms: queued.oneMs, maxRssMb: undefined, detail: { filesPerMinute: queued.filesPerMinute1 } });
    record(queueRows * QUEUE_FILES, mb, 'queue: analyze + import, 2 workers', { ms: queued.twoMs, maxRssMb: undefined, detail: { filesPerMinute: queued.filesPerMinute2 } });
    log(`  queue: ${queued.filesPerMinute1} → ${queued.filesPerMinute2} files/min (${queued.speedup}×); death to resume ${(queued.resumeMs / 1000).toFixed(1)} s`);
  } catch (error) {
    notes.push(`queue step skipped: ${error.message}`);
  }
} else if (queueRows > 0) {
  notes.push('queue step skipped: it needs PostgreSQL');
}

// Targets from issue 7: ratios at the largest size, peak RSS and its growth, the workbook.
const largest = Number(process.env.BENCH_TARGET_ROWS ?? (sizes.includes(1_000_000) ? 1_000_000 : Math.max(...sizes)));
const biggest = Math.max(...sizes);
const smallest = Math.min(...sizes);
const at = (rows, name) => results.find((r) => r.rows === rows && r.step === name);
const targets = [];
for (const [name, limit] of Object.entries(TARGETS)) {
  const r = at(largest, name);
  if (r?.ratio != null) targets.push({ target: `${name} ≤ ${limit}× ${r.baseline} (${largest} rows)`, measured: `${r.ratio}×`, met: r.ratio <= limit });
}
for (const name of ['analyze', 'import SQLite']) {
  const big = at(largest, name);
  const small = at(smallest, name);
  if (big) targets.push({ target: `${name} peak RSS ≤ 150 MB (${largest} rows)`, measured: `${big.peakRssMb} MB`, met: big.peakRssMb <= 150 });
  if (big && small && largest !== smallest) {
    const growth = big.peakRssMb / small.peakRssMb;
    targets.push({ target: `${name} RSS ${largest} rows ≤ 1.3 × ${smallest} rows`, measured: `${growth.toFixed(2)}×`, met: growth <= 1.3 });
  }
}
// For reference, no goal: the same native load into a table with an email index, as the tool's table has.
for (const name of ['import SQLite', 'import PostgreSQL']) {
  const r = at(largest, name);
  if (r?.indexedRatio != null) targets.push({ target: `${name} vs ${r.baseline} into a table with an email index (reference)`, measured: `${r.indexedRatio}× (${r.indexedBaselineSeconds} s)`, met: '—' });
}
// Linear cost: CPU per row at the biggest size within 25% of the smallest's (small files pay start-up, so usually below).
for (const name of ['analyze', 'import SQLite', 'import PostgreSQL']) {
  const big = at(biggest, name);
  const small = at(smallest, name);
  if (big?.cpuUsPerRow && small?.cpuUsPerRow && biggest !== smallest) {
    const growth = big.cpuUsPerRow / small.cpuUsPerRow;
    targets.push({ target: `${name} CPU per row, ${biggest} vs ${smallest} rows ≤ 1.25×`, measured: `${growth.toFixed(2)}× (${big.cpuUsPerRow} vs ${small.cpuUsPerRow} µs)`, met: growth <= 1.25 });
  }
}
const xlsxResult = results.find((r) => r.step === 'analyze XLSX');
if (xlsxResult) {
  targets.push({ target: `analyze XLSX ${xlsxResult.rows} rows ≤ 4 s`, measured: `${xlsxResult.seconds} s`, met: xlsxResult.seconds <= 4 });
  targets.push({ target: `analyze XLSX ${xlsxResult.rows} rows ≤ 200 MB`, measured: `${xlsxResult.peakRssMb} MB`, met: xlsxResult.peakRssMb <= 200 });
}

if (served) {
  targets.push({ target: `serve: analysis ${serveRows} rows slows < 25% under 20 clients`, measured: `${served.growthPercent.toFixed(1)}%`, met: served.growthPercent < 25 });
  targets.push({ target: 'serve: status/preview latency under load (p50 / p99)', measured: `${served.latency.p50} / ${served.latency.p99} ms, ${served.requestsPerSecond} req/s`, met: served.non2xx === 0 && served.errors === 0 });
  if (served.peakRssMb !== null) targets.push({ target: `serve: peak RSS ≤ 200 MB (analyze + import ${serveRows} rows)`, measured: `${served.peakRssMb} MB`, met: served.peakRssMb <= 200 });
}

if (queued) {
  targets.push({ target: `queue: ${QUEUE_FILES} files × ${queueRows} rows, 2 workers vs 1 (2 cores: close to 2×)`, measured: `${queued.filesPerMinute1} → ${queued.filesPerMinute2} files/min, ${queued.speedup}×`, met: queued.speedup >= 1.5 });
  targets.push({ target: 'queue: worker killed → import resumed by another worker', measured: `${(queued.resumeMs / 1000).toFixed(1)} s (JOB_LOCK_SECONDS ${process.env.JOB_LOCK_SECONDS ?? 10})`, met: queued.resumeMs < 60_000 });
}

console.log(`data: ${process.env.BENCH_DATA ?? 'realistic'}, load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.table(results.map(({ detail, ...r }) => r));
console.table(targets);
for (const note of notes) console.log(`note: ${note}`);
const json = { node: process.version, runs, data: process.env.BENCH_DATA ?? 'realistic', loadAverage: os.loadavg(), date: new Date().toISOString(), results, targets, notes };
fs.writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
console.log(`results: ${path.join(out, 'results.json')}`);
