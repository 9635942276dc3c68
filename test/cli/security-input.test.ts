// What the tool takes from others: a session record someone else wrote (a shared Redis, the
// state folder), arguments and headers carrying terminal escapes, and settings no store could
// honour. None of them may reach another object, the terminal raw, or a server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const scratch = scratchDir('ci-security-input-');
const cwd = scratch.dir;
let n = 0;
const noRedis = { REDIS_URL: undefined };
const contacts = path.join(FIXTURES, 'contacts.csv');

const redis = rawClient();
const prefix = uniquePrefix('security-input');
const withRedis = { REDIS_URL, REDIS_PREFIX: prefix };
afterAll(async () => {
  await deleteKeys(redis, prefix).catch(() => undefined);
  redis.disconnect();
  scratch.cleanup();
});

async function analyzedAndTemplated(home: string, env: Record<string, string | undefined>): Promise<string> {
  const analyzed = await runCli(['analyze', contacts, '--json', '--home', home], { cwd, env });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const { fileId } = analyzed.json();
  const mapped = await runCli(['map', '--file-id', fileId, '--auto', '--save-template', 'crm', '--home', home], { cwd, env });
  expect(mapped.code, mapped.stderr).toBe(0);
  return fileId;
}

describe('a stored session is not trusted', () => {
  async function expectRefused(fileId: string, home: string, env: Record<string, string | undefined>): Promise<void> {
    const template = path.join(home, 'templates', 'crm.json');
    const saved = fs.readFileSync(template, 'utf8');
    for (const command of [['analyze', '--file-id', fileId], ['cleanup', '--file-id', fileId], ['import', '--file-id', fileId]]) {
      const result = await runCli([...command, '--json', '--home', home], { cwd, env });
      expect(result.code, `${command[0]}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/^error: the session of file_\S+ is not usable: its stored file "templates\/crm\.json" is not an upload — upload the file again/);
      expect(result.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    }
    // Neither read as an upload nor deleted.
    expect(fs.readFileSync(template, 'utf8')).toBe(saved);
  }

  it('in the state folder: a session naming a saved template is refused, the template kept', async () => {
    const home = path.join(cwd, `home-${++n}`);
    const fileId = await analyzedAndTemplated(home, noRedis);
    const record = path.join(home, 'state', `upload%3A${fileId}.json`);
    const envelope = JSON.parse(fs.readFileSync(record, 'utf8'));
    envelope.value.key = 'templates/crm.json';
    fs.writeFileSync(record, JSON.stringify(envelope));
    await expectRefused(fileId, home, noRedis);
  });

  it('in a shared Redis: the same', async () => {
    const home = path.join(cwd, `home-${++n}`);
    const fileId = await analyzedAndTemplated(home, withRedis);
    const key = `${prefix}upload:${fileId}`;
    const upload = JSON.parse((await redis.get(key))!);
    upload.key = 'templates/crm.json';
    await redis.set(key, JSON.stringify(upload), 'KEEPTTL');
    await expectRefused(fileId, home, withRedis);
  });
});

/** Control characters and bidi overrides: nothing of the kind may reach the terminal raw. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Retitles the window, then clears the screen. */
const ESC = '\u001b]0;owned\u0007\u001b[2J';

describe('error lines escape what they quote', () => {
  const home = path.join(cwd, 'home-escapes');
  const homeArgs = ['--home', home];
  const bidi = path.join(cwd, 'bidi.csv');
  fs.writeFileSync(bidi, 'Em\u202Eail,First Name\nann@example.com,Ann\n');
  const db = `sqlite:${path.join(cwd, 'escapes.db')}`;

  const fileIdOf = async (file: string) => {
    const result = await runCli(['analyze', file, '--json', ...homeArgs], { cwd, env: noRedis });
    expect(result.code, result.stderr).toBe(0);
    return result.json().fileId as string;
  };

  async function expectEscaped(args: string[], quoted: string, escaped = '\\u001b'): Promise<void> {
    const human = await runCli([...args, ...homeArgs], { cwd, env: noRedis });
    expect(human.code, human.stderr).not.toBe(0);
    expect(human.stderr).toMatch(/^error: /);
    expect(human.stderr, JSON.stringify(human.stderr)).not.toMatch(UNSAFE);
    expect(human.stderr).toContain(escaped);
    // The JSON document keeps the value exact.
    const json = await runCli([...args, '--json', ...homeArgs], { cwd, env: noRedis });
    const { error } = json.json();
    expect(`${error.message} ${error.hint ?? ''}`).toContain(quoted);
    expect(json.stderr).not.toMatch(UNSAFE);
  }

  it('a fileId', async () => {
    await expectEscaped(['preview', '--file-id', `file_${ESC}`], `file_${ESC}`);
  });

  it('a template name', async () => {
    const fileId = await fileIdOf(contacts);
    await expectEscaped(['map', '--file-id', fileId, '--template', `crm${ESC}`], `crm${ESC}`);
  });

  it('a --set column', async () => {
    const fileId = await fileIdOf(contacts);
    await expectEscaped(['map', '--file-id', fileId, '--set', `Mail${ESC}=email`], `Mail${ESC}`);
  });

  it('a header that "Did you mean" suggests', async () => {
    const fileId = await fileIdOf(bidi);
    await expectEscaped(['map', '--file-id', fileId, '--set', 'Emal=email'], 'Em\u202Eail', '\\u202e');
  });

  it('a --database URL', async () => {
    await expectEscaped(['history', '--database', `bogus${ESC}`], `bogus${ESC}`);
  });

  it('an undo id', async () => {
    await expectEscaped(['undo', `import_${ESC}`, '--yes', '--database', db], `import_${ESC}`);
  });

  it('an argument commander itself refuses', async () => {
    const result = await runCli(['import', '--file-id', 'x', '--on-duplicate', ESC, ...homeArgs], { cwd, env: noRedis });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: option '--on-duplicate <mode>' argument/);
    expect(result.stderr).not.toMatch(UNSAFE);
    expect(result.stderr).toContain('\\u001b');
  });
});

describe('settings are checked before anything is done', () => {
  it('TTL_SECONDS beyond what Redis takes is a usage error naming it, not a server error', async () => {
    const home = path.join(cwd, `home-${++n}`);
    const result = await runCli(['upload', contacts, '--json', '--home', home], { cwd, env: { ...withRedis, TTL_SECONDS: '1e16' } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: TTL_SECONDS must be a whole number from 1 to \d+, got "1e16"/)]);
    expect(result.stderr).not.toMatch(/ERR|Redis/);
    expect(result.json()).toMatchObject({ success: false, error: { code: 'USAGE' } });
    expect(fs.existsSync(path.join(home, 'uploads'))).toBe(false);
  });

  it('a TTL_SECONDS that is not a whole number is refused too', async () => {
    const result = await runCli(['status', 'file_x', '--home', path.join(cwd, `home-${++n}`)], { cwd, env: { ...noRedis, TTL_SECONDS: '90.5' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: TTL_SECONDS must be a whole number/);
  });
});
