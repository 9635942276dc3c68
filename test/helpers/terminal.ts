import pty from 'node-pty';
import { BIN } from './cli.js';

// The CLI on a pseudo-terminal, driven as a person would: keys in, screen out.

export const DOWN = '\x1b[B';
export const ENTER = '\r';
export const CTRL_C = '\x03';

export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

export interface Terminal {
  exited: Promise<number>;
  write(keys: string): void;
  /** Everything shown so far, without escape sequences. */
  screen(): string;
  /** Waits until `text` appears after everything already waited for. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

/** The CLI on a pseudo-terminal (no CI variable, so it behaves as on a person's terminal). */
export function onTerminal(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Terminal {
  const env = { ...process.env, NO_COLOR: '1', ...options.env } as Record<string, string | undefined>;
  delete env.CI;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const term = pty.spawn(process.execPath, [BIN, ...args], { cols: 140, rows: 50, cwd: options.cwd, env: env as Record<string, string> });
  let screen = '';
  let seen = 0;
  term.onData((data) => (screen += data));
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    exited,
    write: (keys: string) => term.write(keys),
    screen: () => stripAnsi(screen),
    async waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const fresh = stripAnsi(screen.slice(seen));
        if (typeof text === 'string' ? fresh.includes(text) : text.test(fresh)) {
          seen = screen.length;
          return;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; screen:\n${stripAnsi(screen)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
