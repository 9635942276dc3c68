import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { CTRL_C, DOWN, ENTER, onTerminal } from '../helpers/terminal.js';

const UP = '\x1b[A';

// The interactive mapping, driven through a real pseudo-terminal as a person would: Enter
// accepts the preselected suggestion, arrow keys move to another choice, Ctrl-C cancels.

const scratch = scratchDir();
const cwd = scratch.dir;
const home = ['--home', path.join(cwd, 'home')];
afterAll(() => scratch.cleanup());

async function analyzedFileId(): Promise<string> {
  const analyzed = await runCli(['analyze', path.join(FIXTURES, 'contacts.csv'), '--json', ...home], { cwd });
  return analyzed.json().fileId;
}

/** The CLI on a pseudo-terminal, in this test's folder. */
function terminalFor(args: string[]) {
  return onTerminal(args, { cwd });
}

describe('map on a terminal', () => {
  it('asks one column at a time, suggestion preselected, skip available', async () => {
    const fileId = await analyzedFileId();
    const terminal = terminalFor(['map', '--file-id', fileId, ...home]);
    const columns = ['Email Address', 'First Name', 'Last Name', 'Phone Number', 'Company Name', 'Job Title', 'City', 'Zip'];
    for (const column of columns) {
      await terminal.waitFor(column);
      terminal.write(ENTER);
    }
    // Notes: the suggestion (Notes) is preselected; one step down is "skip".
    await terminal.waitFor('Notes');
    terminal.write(DOWN);
    await terminal.waitFor(/skip/);
    terminal.write(ENTER);
    // The review screen: "save this mapping" is preselected.
    await terminal.waitFor('Review the mapping');
    terminal.write(ENTER);
    await terminal.waitFor('sample rows are valid');
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).toMatch(/9 of 12 sample rows are valid/);

    const page = await runCli(['preview', '--file-id', fileId, '--json', ...home], { cwd });
    const row = page.json().rows[0];
    expect(row).toMatchObject({ email: 'ana.garcia@example.com', firstName: 'Ana', zipCode: '28001' });
    expect(row).not.toHaveProperty('notes');
  });

  it('accepts the remaining suggestions at once, goes back, and edits from the review screen', async () => {
    const fileId = await analyzedFileId();
    const terminal = terminalFor(['map', '--file-id', fileId, ...home]);
    await terminal.waitFor('accept the suggestions for the 9 remaining columns');
    terminal.write(ENTER); // Email Address → email
    // First Name: the 12 fields (Email disabled: taken), "skip", "Full Name", then the actions.
    await terminal.waitFor('back to "Email Address"');
    expect(terminal.screen()).toMatch(/\(used by "Email Address"\)/);
    for (let i = 0; i < 14; i++) terminal.write(DOWN); // from First Name past the rest to "back"
    terminal.write(ENTER);
    await terminal.waitFor('accept the suggestions for the 9 remaining columns'); // Email Address again
    terminal.write(ENTER);
    await terminal.waitFor('accept the suggestions for the 8 remaining columns');
    for (let i = 0; i < 13; i++) terminal.write(DOWN); // to "accept the suggestions…"
    terminal.write(ENTER);
    await terminal.waitFor(/Notes\s+→ Notes/);
    // Pick "Notes" (the last column) in the review and skip it.
    for (let i = 0; i < 9; i++) terminal.write(DOWN);
    terminal.write(ENTER);
    await terminal.waitFor('skip — do not import this column');
    terminal.write(DOWN); // from the preselected Notes field to "skip"
    terminal.write(ENTER);
    await terminal.waitFor(/Notes\s+→ skip/);
    terminal.write(UP.repeat(9)); // back to "save this mapping"
    terminal.write(ENTER);
    await terminal.waitFor('sample rows are valid');
    expect(await terminal.exited).toBe(0);
    const page = await runCli(['preview', '--file-id', fileId, '--json', ...home], { cwd });
    const row = page.json().rows[0];
    expect(row).toMatchObject({ email: 'ana.garcia@example.com', firstName: 'Ana', zipCode: '28001' });
    expect(row).not.toHaveProperty('notes');
  });

  it('Ctrl-C at a prompt cancels cleanly: exit 130, nothing saved', async () => {
    const fileId = await analyzedFileId();
    const terminal = terminalFor(['map', '--file-id', fileId, ...home]);
    await terminal.waitFor('Email Address');
    terminal.write(CTRL_C);
    expect(await terminal.exited).toBe(130);
    expect(terminal.screen()).toMatch(/mapping cancelled; nothing was saved/);
    expect(terminal.screen()).not.toMatch(/unexpected error/);
    const importRun = await runCli(['import', '--file-id', fileId, ...home], { cwd });
    expect(importRun.stderr).toMatch(/no column mapping/);
  });
});
