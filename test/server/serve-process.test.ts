import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, scratchDir } from '../helpers/cli.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import { pollUntil, send } from '../helpers/server.js';

// `contact-import serve` as a user runs it (the built binary, its own process): a CLI `status`
// in another process sees the analysis the server runs, and SIGTERM stops the server without
// leaving an analysis or an import half-recorded — both say they were stopped, and the import
// resumes where its last batch ended.

const ROWS = 300_000;
const scratch = scratchDir('ci-serve-process-');
const home = path.join(scratch.dir, 'home');
const db = `sqlite:${path.join(scratch.dir, 'contacts.db')}`;
const env = {
  REDIS_URL: undefined,
  S3_BUCKET_NAME: undefined,
  DATABASE_URL: undefined,
  CONTACT_IMPORT_API_KEY: undefined,
  MAX_FILE_SIZE_MB: '500',
  LOG_LEVEL: 'warn',
};
let bytes: Buffer;
let child: ChildProcess | undefined;

beforeAll(() => {
  bytes = Buffer.from(generateContacts({ rows: ROWS, seed: 17 }).csv);
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => scratch.cleanup());

/** Starts the binary on a free port; resolves with its URL once it listens. */
async function serve(): Promise<{ url: string; exited: Promise<number | null> }> {
  const started = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--home', home, '--database', db, '--concurrency', '1'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    started.stderr!.on('data', (d) => (out += d));
    started.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    started.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  // The signal handlers go in right after listen returns.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { url, exited };
}

const post = (url: string, route: string, body: unknown) => send(`${url}${route}`, 'POST', body);
const cliStatus = async (fileId: string) => {
  const result = await runCli(['status', fileId, '--json', '--home', home], { env });
  expect(result.code, result.stderr).toBe(0);
  return result.json();
};

describe('contact-import serve, in its own process', () => {
  let fileId = '';

  it('a CLI status in another process shows the analysis the server is running', async () => {
    const { url, exited } = await serve();
    const opened = await post(url, '/api/upload', { filename: 'big.csv', fileType: 'text/csv', fileSize: bytes.length });
    fileId = opened.body.fileId;
    expect((await send(opened.body.uploadUrl, 'PUT', bytes, { 'content-type': 'text/csv' })).status).toBe(200);
    expect((await post(url, '/api/analyze', { fileId })).status).toBe(202);
    // Queued or started, the CLI sees it analyzing from the first moment.
    const early = await cliStatus(fileId);
    expect(early.status).toBe('analyzing');
    const running = await pollUntil(() => send(`${url}/api/analyze/status/${fileId}`, 'GET'), (r) => (r.body?.progress?.processed ?? 0) > 0, 60_000);
    const seen = await cliStatus(fileId);
    expect(seen.status).toBe('analyzing');
    expect(seen.processed).toBeGreaterThanOrEqual(running.body.progress.processed);
    const done = await pollUntil(() => send(`${url}/api/analyze/status/${fileId}`, 'GET'), (r) => r.body?.status !== 'analyzing', 60_000);
    expect(done.body.status, done.text).toBe('complete');
    const later = await cliStatus(fileId);
    expect(later).toMatchObject({ status: 'complete', processed: ROWS, summary: done.body.summary });
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  it('SIGTERM during an async import: exit 0, the run recorded as interrupted, and the next import resumes it', async () => {
    const { url, exited } = await serve();
    const summary = (await send(`${url}/api/analyze/status/${fileId}`, 'GET')).body.summary;
    expect((await post(url, '/api/map-columns', { fileId, mapping: summary.suggestedMapping })).status).toBe(200);
    const accepted = await post(url, '/api/import?async=1', { fileId });
    expect(accepted.status, accepted.text).toBe(202);
    await pollUntil(() => send(`${url}/api/imports/${accepted.body.importId}`, 'GET'), (r) => (r.body?.progress?.rows ?? 0) > 0, 60_000);
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);

    const history = await runCli(['history', '--json', '--database', db, '--home', home], { env });
    expect(history.code, history.stderr).toBe(0);
    const [run] = history.json().imports ?? history.json();
    expect(run.status).toBe('interrupted');
    expect(run.rowsDone).toBeGreaterThan(0);
    expect(run.rowsDone).toBeLessThan(ROWS);

    const again = await serve();
    const resumed = await post(again.url, '/api/import', { fileId });
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body).toMatchObject({ success: true, importId: run.importId, resumedFrom: run.rowsDone, totalRows: ROWS });
    child!.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 90_000);

  it('SIGTERM during an analysis: exit 0, and status says it was stopped rather than "analyzing" forever', async () => {
    const { url, exited } = await serve();
    const opened = await post(url, '/api/upload', { filename: 'big.csv', fileType: 'text/csv', fileSize: bytes.length });
    const id = opened.body.fileId;
    await send(opened.body.uploadUrl, 'PUT', bytes, { 'content-type': 'text/csv' });
    expect((await post(url, '/api/analyze', { fileId: id })).status).toBe(202);
    await pollUntil(() => send(`${url}/api/analyze/status/${id}`, 'GET'), (r) => (r.body?.progress?.processed ?? 0) > 0, 60_000);
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stopped = await cliStatus(id);
    expect(stopped.status).toBe('error');
    expect(stopped.message).toMatch(/interrupted/);
  }, 90_000);
});
