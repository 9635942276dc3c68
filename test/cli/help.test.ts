import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const COMMANDS = ['upload', 'analyze', 'status', 'map', 'preview', 'import', 'run', 'cleanup', 'history', 'undo', 'serve', 'templates', 'worker', 'jobs'];

describe('--help', () => {
  it('the program lists every command', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it.each(COMMANDS)('%s --help shows an example', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples?:/);
    expect(result.stdout).toMatch(new RegExp(`\\$ contact-import ${command}\\b`));
  });

  it('every command and option is in the README', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const command of COMMANDS) {
      const help = (await runCli([command, '--help'])).stdout;
      for (const [, option] of help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)) {
        if (option === '--help') continue;
        expect(readme, `${command} ${option} is not documented`).toContain(option);
      }
      expect(readme).toContain(`contact-import ${command}`);
    }
    // One CLI start per command, in sequence: seconds each on a busy machine.
  }, 120_000);
});
