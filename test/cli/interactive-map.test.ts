import path from 'node:path';
import pty from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, runCli, scratchDir } from '../helpers/cli.js';

// The interactive mapping, driven through a real pseudo-terminal as a person would: Enter
// accepts the preselected suggestion, arrow keys move to another choice.

const scratch = scratchDir();
const cwd = scratch.dir;
const home = ['--home', path.join(cwd, 'home')];
afterAll(() => scratch.cleanup());

const DOWN = '\x1b[B';
const ENTER = '\r';

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

describe('map on a terminal', () => {
  it('asks one column at a time, suggestion preselected, skip available', async () => {
    const analyzed = await runCli(['analyze', path.join(FIXTURES, 'contacts.csv'), '--json', ...home], { cwd });
    const fileId = analyzed.json().fileId;

    const env = { ...process.env, NO_COLOR: '1' } as Record<string, string>;
    delete env.CI;
    const term = pty.spawn(process.execPath, [BIN, 'map', '--file-id', fileId, ...home], { cols: 140, rows: 50, cwd, env });
    let screen = '';
    let seen = 0;
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    term.onData((data) => (screen += data));

    /** Waits until `text` appears after everything already consumed. */
    async function waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const fresh = stripAnsi(screen.slice(seen));
        const index = typeof text === 'string' ? fresh.indexOf(text) : fresh.search(text);
        if (index >= 0) {
          seen = screen.length;
          return;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; screen:\n${stripAnsi(screen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    const columns = ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title', 'City', 'Zip'];
    for (const column of columns) {
      await waitFor(column);
      term.write(ENTER);
    }
    // Notes: the suggestion (Notes) is preselected; one step down is "skip".
    await waitFor('Notes');
    term.write(DOWN);
    await waitFor(/skip/);
    term.write(ENTER);
    await waitFor('sample rows are valid');
    expect(await exited).toBe(0);
    expect(stripAnsi(screen)).toMatch(/9 of 12 sample rows are valid/);

    const page = await runCli(['preview', '--file-id', fileId, '--json', ...home], { cwd });
    const row = page.json().rows[0];
    expect(row).toMatchObject({ email: 'ana.garcia@example.com', firstName: 'Ana', zipCode: '28001' });
    expect(row).not.toHaveProperty('notes');
  });

  it('Ctrl-C at a prompt cancels cleanly: exit 130, nothing saved', async () => {
    const analyzed = await runCli(['analyze', path.join(FIXTURES, 'contacts.csv'), '--json', ...home], { cwd });
    const fileId = analyzed.json().fileId;
    const env = { ...process.env, NO_COLOR: '1' } as Record<string, string>;
    delete env.CI;
    const term = pty.spawn(process.execPath, [BIN, 'map', '--file-id', fileId, ...home], { cols: 140, rows: 50, cwd, env });
    let screen = '';
    term.onData((data) => (screen += data));
    const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    const deadline = Date.now() + 10_000;
    while (!stripAnsi(screen).includes('Email Address')) {
      if (Date.now() > deadline) throw new Error(`no prompt; screen:\n${stripAnsi(screen)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    term.write('\x03');
    expect(await exited).toBe(130);
    expect(stripAnsi(screen)).toMatch(/mapping cancelled; nothing was saved/);
    expect(stripAnsi(screen)).not.toMatch(/unexpected error/);
    const importRun = await runCli(['import', '--file-id', fileId, ...home], { cwd });
    expect(importRun.stderr).toMatch(/no column mapping/);
  });
});
