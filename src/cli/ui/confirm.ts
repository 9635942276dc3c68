import { ImportError } from '../../errors.js';
import type { Output } from './output.js';

/** Asks a yes/no question on the terminal, default no. Ctrl-C is a cancel, not a crash. */
export async function confirm(output: Output, message: string): Promise<boolean> {
  // Loaded only when someone is asked: scripts and cron never pay for it.
  const { default: inquirer } = await import('inquirer');
  const prompt = inquirer.createPromptModule({ input: process.stdin, output: output.stderr });
  const answer = await prompt<{ yes: boolean }>([{ type: 'confirm', name: 'yes', message, default: false }]).catch(
    (error: unknown) => {
      if (error instanceof Error && error.name === 'ExitPromptError') {
        throw new ImportError('INTERRUPTED', 'cancelled; nothing was changed');
      }
      throw error;
    },
  );
  return answer.yes;
}
