import { Chalk, type ChalkInstance } from 'chalk';
import { safeText } from './safe-text.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * Where everything a command says goes. The result a person asked for (tables, the fileId,
 * history rows) goes to stdout, so `| less`, `| wc -l` and `$(…)` see it; progress, hints and
 * warnings go to stderr. With --json stdout holds one JSON document and nothing else.
 * Colour only on a terminal (and never with --no-color / NO_COLOR).
 */
export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly style: ChalkInstance;
  /** Colours for result lines (print): on only when stdout is a terminal too, never in a pipe. */
  readonly resultStyle: ChalkInstance;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;

  constructor(options: OutputOptions) {
    this.json = options.json;
    this.quiet = options.quiet;
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    const colour = options.color && !process.env.NO_COLOR && Boolean(this.stderr.isTTY);
    this.style = new Chalk({ level: colour ? 1 : 0 });
    this.resultStyle = new Chalk({ level: colour && this.stdout.isTTY ? 1 : 0 });
  }

  /** Columns of the terminal the result is shown on; undefined in a pipe. */
  get width(): number | undefined {
    return this.stdout.isTTY ? this.stdout.columns : undefined;
  }

  get interactiveTerminal(): boolean {
    return Boolean(this.stderr.isTTY);
  }

  /** The command's result: JSON on stdout with --json, else `human()` renders it (print/info). */
  result(value: unknown, human: () => void): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else if (!this.quiet) human();
  }

  /** A line of the result, on stdout; silent with --quiet. */
  print(line = ''): void {
    if (!this.quiet) this.stdout.write(`${line}\n`);
  }

  /** A line for people about the work (a hint, a next step), on stderr; silent with --quiet. */
  info(line = ''): void {
    if (!this.quiet) this.stderr.write(`${line}\n`);
  }

  // Warnings and errors quote what the user typed or a file held (a fileId, a header, a URL):
  // escaped like every value shown on a terminal. The JSON document escapes itself.

  warn(line: string): void {
    this.stderr.write(`${this.style.yellow('warning:')} ${safeText(line)}\n`);
  }

  error(line: string): void {
    this.stderr.write(`${this.style.red('error:')} ${safeText(line)}\n`);
  }
}
