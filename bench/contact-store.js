// Rows/s of ContactStore.writeBatch: BENCH_ROWS contacts (default 100000) in batches of 1000,
// into SQLite (a temp file) and PostgreSQL (a throwaway schema in BENCH_POSTGRES_URL, default
// the test server): first insert, then the same rows again with update and with skip.
//   npm run build && node bench/contact-store.js
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openContactStore } from '../dist/db/open-contact-store.js';

const rows = Number(process.env.BENCH_ROWS ?? 100_000);
const batchSize = 1000;
const server = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const contacts = Array.from({ length: rows }, (_, i) => ({
  email: `person${i}@example${i % 97}.com`,
  firstName: `First${i}`,
  lastName: `Last ${i}`,
  phone: `+1555${String(i).padStart(7, '0')}`,
  company: `Company ${i % 500}`,
  title: 'Engineer',
  city: 'Springfield',
  zipCode: String(10000 + (i % 90000)),
  notes: i % 10 === 0 ? 'some "notes"\nwith a newline\tand a tab' : undefined,
}));

async function measure(url, engine, onDuplicate, pass) {
  const store = await openContactStore(url, {});
  const started = performance.now();
  for (let i = 0; i < rows; i += batchSize) {
    const batch = contacts.slice(i, i + batchSize).map((contact, j) => ({ row: i + j + 1, contact }));
    await store.writeBatch(batch, { importId: 'bench', onDuplicate });
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { engine, pass, seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
const schema = `bench_${process.pid}`;
const targets = [['SQLite', `sqlite:${path.join(dir, 'contacts.db')}`], ['PostgreSQL', `${server}${server.includes('?') ? '&' : '?'}schema=${schema}`]];
const results = [];
try {
  for (const [label, url] of targets) {
    results.push(await measure(url, label, 'skip', 'insert (all new)'));
    results.push(await measure(url, label, 'update', 'update (all existing)'));
    results.push(await measure(url, label, 'skip', 'skip (all existing)'));
  }
} finally {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.table(results);
