import { CommanderError } from 'commander';
import { ImportError, isImportError } from '../errors.js';
import { interruptGivenUp } from './interrupt.js';
import { createProgram } from './program.js';
import { cliHints } from './ui/cli-hints.js';
import { Output } from './ui/output.js';

/**
 * The binary: parse, run one command, map the outcome to an exit code (SPEC §4). The only
 * place that exits; errors are one line (a stack trace only with DEBUG set).
 */
export async function main(argv: string[]): Promise<void> {
  // The AWS SDK warns on every run under Node 20 about its own future releases; this tool
  // supports Node 20, so a user could do nothing about it but read 7 lines of stderr each time.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const json = argv.includes('--json');
  const output = new Output({ json, quiet: false, color: !argv.includes('--no-color') });
  let code = 0;
  try {
    // An interrupted command that cannot wind down (a database that stopped answering) is left behind.
    await Promise.race([createProgram().parseAsync(argv), interruptGivenUp()]);
  } catch (error) {
    code = report(output, error);
  }
  // Let stdout drain before exiting: it may be a pipe to a slower reader.
  process.stdout.write('', () => process.exit(code));
}

function report(output: Output, error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are not failures; commander already printed its own message otherwise.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return 0;
    if (output.json) printJsonError(output, { code: 'USAGE', message: error.message.replace(/^error: /, '') });
    return 2;
  }
  const failure = isImportError(error)
    ? error
    : new ImportError('INTERNAL', `unexpected error: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'run again with DEBUG=1 for details, and report it',
        cause: error,
      });
  output.error(failure.describe(cliHints));
  if (process.env.DEBUG) output.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  if (output.json) {
    printJsonError(output, { code: failure.code, message: failure.message, hint: failure.hintFor(cliHints), ...failure.place });
  }
  return failure.exitCode;
}

function printJsonError(output: Output, error: Record<string, unknown>): void {
  output.stdout.write(`${JSON.stringify({ success: false, error }, null, 2)}\n`);
}
