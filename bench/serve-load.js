// The serve step of `npm run bench`: `contact-import serve` in its own process analyzes a file of
// BENCH_SERVE_ROWS rows twice — once idle, once while 20 autocannon clients (loopback, bounded
// to the analysis' duration) poll its status and page through the preview of another file — and
// then imports it. Reports the analysis time both ways, latency (p50/p99) and requests/s under
// load, and the server's peak RSS. Each client sends 2 requests/s, as a polling frontend does. Alone: node bench/serve-load.js [rows]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { contactsFileName, generateContacts } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'contact-import.js');
const CONNECTIONS = 20;
/** Each client polls like a frontend does, twice a second: 40 requests/s offered in all. */
const RATE_PER_CLIENT = 2;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function json(url, init) {
  const response = await fetch(url, init);
  const body = await response.json().catch(() => undefined);
  if (!response.ok && response.status !== 202) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

const post = (url, body) => json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The server's peak resident set so far (Linux), in MB. */
function peakRssMb(pid) {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return hwm ? Math.round(Number(hwm[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function serveUnderLoad({ rows = 500_000, out, env = process.env, log = () => undefined }) {
  const csv = path.join(out, contactsFileName(rows));
  if (!fs.existsSync(csv)) {
    log(`generating ${rows} rows…`);
    generateContacts(csv, rows);
  }
  const bytes = fs.readFileSync(csv);
  const home = path.join(out, 'home-serve');
  fs.rmSync(home, { recursive: true, force: true });
  const db = path.join(out, 'db-serve.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${db}${suffix}`, { force: true });
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--home', home, '--database', `sqlite:${db}`], {
    env: { ...env, LOG_LEVEL: 'warn', CONTACT_IMPORT_API_KEY: '', ENABLE_RATE_LIMITING: 'false' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${api}/healthz`).then((r) => r.ok, () => false)) break;
      if (i > 200) throw new Error('serve did not start');
      await sleep(50);
    }
    const uploadFile = async () => {
      const opened = await post(`${api}/api/upload`, { filename: 'contacts.csv', fileType: 'text/csv', fileSize: bytes.length });
      await json(opened.uploadUrl, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: bytes });
      return opened.fileId;
    };
    /** POST /api/analyze, then the status route until complete: the time a frontend sees. */
    const analyzeTimed = async (fileId, onStarted = () => undefined, pollMs = 100) => {
      const started = performance.now();
      await post(`${api}/api/analyze`, { fileId });
      onStarted();
      for (;;) {
        const status = await json(`${api}/api/analyze/status/${fileId}`);
        if (status.status === 'complete') return { ms: performance.now() - started, summary: status.summary };
        if (status.status === 'error') throw new Error(status.message);
        await sleep(pollMs);
      }
    };

    const idleFile = await uploadFile();
    log('  serve: analysis, idle…');
    const idle = await analyzeTimed(idleFile);
    await post(`${api}/api/map-columns`, { fileId: idleFile, mapping: idle.summary.suggestedMapping });
    const rssAfterIdle = peakRssMb(server.pid);

    const loadedFile = await uploadFile();
    log(`  serve: analysis under ${CONNECTIONS} clients…`);
    let page = 0;
    let instance;
    let results;
    // The clients start once the analysis is asked for (before that its status is a 404).
    const startLoad = () => {
      instance = autocannon({
        url: api,
        connections: CONNECTIONS,
        connectionRate: RATE_PER_CLIENT,
        duration: 600, // bounded: stopped when the analysis completes, at most 10 minutes
        requests: [
          { method: 'GET', path: `/api/analyze/status/${loadedFile}` },
          { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/preview?fileId=${idleFile}&page=${1 + (page++ % 20)}&pageSize=100` }) },
        ],
      });
      results = new Promise((resolve) => instance.once('done', resolve));
    };
    const loaded = await analyzeTimed(loadedFile, startLoad);
    instance.stop();
    const load = await results;
    const rssAfterLoad = peakRssMb(server.pid);

    log('  serve: import…');
    const importStarted = performance.now();
    const imported = await post(`${api}/api/import`, { fileId: idleFile });
    const importMs = performance.now() - importStarted;
    const rss = peakRssMb(server.pid);
    return {
      rows,
      mb: bytes.length / 1024 / 1024,
      idleMs: idle.ms,
      loadedMs: loaded.ms,
      growthPercent: ((loaded.ms - idle.ms) / idle.ms) * 100,
      importMs,
      imported: imported.imported,
      latency: { p50: load.latency.p50, p99: load.latency.p99, max: load.latency.max },
      requestsPerSecond: Math.round(load.requests.average),
      requests: load.requests.total,
      non2xx: load.non2xx,
      statusCodes: load.statusCodeStats,
      errors: load.errors,
      peakRssMb: rss,
      /** Peak RSS after each phase: the idle analysis, the one under load, the import. */
      peakRssByPhaseMb: { idleAnalysis: rssAfterIdle, loadedAnalysis: rssAfterLoad, import: rss },
    };
  } finally {
    server.kill('SIGTERM');
    await exited;
    fs.rmSync(home, { recursive: true, force: true });
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${db}${suffix}`, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = path.join(here, 'out');
  fs.mkdirSync(out, { recursive: true });
  const env = { ...process.env, MAX_ROWS_ALLOWED: '5000000', MAX_FILE_SIZE_MB: '2000' };
  for (const name of ['S3_BUCKET_NAME', 'REDIS_URL', 'DATABASE_URL']) delete env[name];
  const result = await serveUnderLoad({ rows: Number(process.argv[2] ?? 500_000), out, env, log: (t) => process.stderr.write(`${t}\n`) });
  console.log(JSON.stringify(result, null, 2));
}
