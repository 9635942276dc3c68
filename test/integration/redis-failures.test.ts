import Database from 'better-sqlite3';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, importContacts, ImportError, openContext, saveMapping, STORAGE_KEYS, upload } from '../../src/index.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { closedPort, startRedisServer } from '../helpers/redis.js';

// Redis that is not there, refuses us, hangs, or dies under us: one clear IO error within 10
// seconds, the password never shown, and a committed import never turned into a failure.

const PASSWORD = 'secret';
const WRONG = 'hunter2-wrong';

async function failureOf(promise: Promise<unknown>): Promise<{ error: ImportError; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return { error: error as ImportError, ms: Date.now() - started };
}

describe('Redis unreachable', () => {
  it('a closed port is an IO error within 10 s that names the server but not the password', async () => {
    const port = await closedPort();
    const store = new RedisStateStore(`redis://:${WRONG}@127.0.0.1:${port}/3`);
    const { error, ms } = await failureOf(store.get('anything'));
    await store.close();
    expect(ms).toBeLessThan(10_000);
    expect(error.code).toBe('IO');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(`cannot reach Redis at redis://127.0.0.1:${port}/3`);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.hint).toMatch(/REDIS_URL/);
    expect(`${error.describe()} ${error.stack}`).not.toContain(WRONG);
  });

  it('a server that accepts connections but never answers is an IO error within 10 s', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const store = new RedisStateStore(`redis://127.0.0.1:${port}`);
    try {
      const { error, ms } = await failureOf(store.set('k', 1, 60));
      expect(ms).toBeLessThan(10_000);
      expect(error.code).toBe('IO');
      expect(error.message).toMatch(/cannot reach Redis .*no answer within/);
      // The writes that follow a failure (error status, clean-up) fail at once, not after another wait.
      const again = await failureOf(store.set('k', 2, 60));
      expect(again.ms).toBeLessThan(100);
      const closing = Date.now();
      await store.close();
      expect(Date.now() - closing).toBeLessThan(1500);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe('Redis with a password', () => {
  let server: Awaited<ReturnType<typeof startRedisServer>>;
  beforeAll(async () => {
    server = await startRedisServer(['--requirepass', PASSWORD]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('works with the right password', async () => {
    const store = new RedisStateStore(`redis://:${PASSWORD}@127.0.0.1:${server.port}/2`);
    await store.set('k', { ok: true }, 60);
    expect(await store.get('k')).toEqual({ ok: true });
    await store.close();
  });

  it.each([
    ['a wrong password', `redis://:${WRONG}@127.0.0.1:PORT`],
    ['a wrong user and password', `redis://someone:${WRONG}@127.0.0.1:PORT`],
    ['no password', 'redis://127.0.0.1:PORT'],
  ])('%s is a clear credentials error within 10 s', async (_case, template) => {
    const store = new RedisStateStore(template.replace('PORT', String(server.port)));
    const { error, ms } = await failureOf(store.get('k'));
    await store.close();
    expect(ms).toBeLessThan(10_000);
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(new RegExp(`Redis at redis://127.0.0.1:${server.port} refused the credentials`));
    expect(error.message).toMatch(/WRONGPASS|NOAUTH/);
    expect(error.hint).toMatch(/password in REDIS_URL/);
    expect(`${error.describe()} ${error.stack} ${String(error.cause)}`).not.toContain(WRONG);
  });
});

describe('Redis going away mid-run', () => {
  it('fails the next command quickly, and closes at once', async () => {
    const server = await startRedisServer([]);
    const store = new RedisStateStore(`redis://127.0.0.1:${server.port}`);
    await store.set('k', 1, 60);
    await server.stop();
    const { error, ms } = await failureOf(store.set('k', 2, 60));
    expect(ms).toBeLessThan(10_000);
    expect(error.message).toMatch(/cannot reach Redis/);
    const closing = Date.now();
    await store.close();
    expect(Date.now() - closing).toBeLessThan(1500);
  });

  it('does not turn a committed import into a failure when Redis dies during it', async () => {
    const server = await startRedisServer([]);
    const scratch = scratchDir('ci-redis-gone-');
    const csv = path.join(scratch.dir, 'people.csv');
    fs.writeFileSync(csv, ['Email,First Name', ...Array.from({ length: 3000 }, (_, i) => `p${i}@example.com,P${i}`)].join('\n'));
    const database = path.join(scratch.dir, 'contacts.db');
    const ctx = openContext({
      home: path.join(scratch.dir, 'home'),
      env: { REDIS_URL: `redis://127.0.0.1:${server.port}`, REDIS_PREFIX: 'gone:' },
    });
    try {
      expect(ctx.state.kind).toBe('redis');
      const { fileId } = await upload(ctx, { path: csv });
      const summary = await analyze(ctx, fileId);
      await saveMapping(ctx, fileId, summary.suggestedMapping);
      let killed = false;
      const result = await importContacts(ctx, fileId, {
        database: `sqlite:${database}`,
        batchSize: 100,
        onProgress: (progress) => {
          if (progress.phase === 'import' && !killed) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        },
      });
      expect(killed).toBe(true);
      expect(result).toMatchObject({ success: true, imported: 3000 });
      // Redis was gone by the end, so clearing the session and releasing the lock did fail.
      await expect(ctx.state.get(STORAGE_KEYS.upload(fileId))).rejects.toMatchObject({ code: 'IO' });
      const db = new Database(database, { readonly: true });
      expect(db.prepare('SELECT status, imported FROM contact_imports').get()).toEqual({ status: 'completed', imported: 3000 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM contacts').get()).toEqual({ n: 3000 });
      db.close();
    } finally {
      await ctx.close();
      await server.stop();
      scratch.cleanup();
    }
  });
});

describe('the CLI with Redis unreachable', () => {
  it('exits 1 with one line on stderr within 10 s', async () => {
    const port = await closedPort();
    const scratch = scratchDir();
    try {
      const started = Date.now();
      const result = await runCli(['analyze', path.join(FIXTURES, 'contacts.csv'), '--home', path.join(scratch.dir, 'home')], {
        cwd: scratch.dir,
        env: { REDIS_URL: `redis://:${WRONG}@127.0.0.1:${port}` },
      });
      const ms = Date.now() - started;
      expect(result.code).toBe(1);
      expect(ms).toBeLessThan(10_000);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED`));
      expect(result.stderr).not.toContain(WRONG);
      expect(result.stdout).toBe('');
      // The upload rolled back: no orphaned copy of the file.
      expect(fs.readdirSync(path.join(scratch.dir, 'home', 'uploads'))).toEqual([]);
    } finally {
      scratch.cleanup();
    }
  });

  it('--state redis without REDIS_URL says what to set (exit 2)', async () => {
    const result = await runCli(['status', 'file_x', '--state', 'redis'], { env: { REDIS_URL: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Redis state needs REDIS_URL/);
  });
});
