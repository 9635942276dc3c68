import type { Command } from 'commander';
import type { ConfigOptions } from '../config.js';
import { openContext, type Context } from '../pipeline/context.js';
import { Output } from './ui/output.js';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  input?: boolean;
  home?: string;
  storage?: 'local' | 's3';
  state?: 'file' | 'redis';
  defaultCountry?: string;
  onInvalidValue?: 'reject' | 'blank';
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function outputFor(command: Command): Output {
  const globals = globalsOf(command);
  return new Output({ json: Boolean(globals.json), quiet: Boolean(globals.quiet), color: globals.color !== false });
}

/** Whether the command may ask questions: a terminal on both ends and no --no-input. */
export function canPrompt(command: Command): boolean {
  return globalsOf(command).input !== false && Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
}

/** Opens the stores for one command and always closes them, whatever happens. */
export async function withContext<T>(
  command: Command,
  fn: (ctx: Context, output: Output) => Promise<T>,
  extra: ConfigOptions = {},
): Promise<T> {
  const globals = globalsOf(command);
  const output = outputFor(command);
  const ctx = openContext({
    home: globals.home,
    storage: globals.storage,
    state: globals.state,
    defaultCountry: globals.defaultCountry,
    onInvalidValue: globals.onInvalidValue,
    ...extra,
  });
  try {
    return await fn(ctx, output);
  } finally {
    await ctx.close();
  }
}
