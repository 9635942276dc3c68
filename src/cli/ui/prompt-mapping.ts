import { ImportError } from '../../errors.js';
import { SYSTEM_FIELDS, type StoredAnalysis } from '../../types.js';
import type { Output } from './output.js';
import { safeText } from './safe-text.js';

const SKIP = '';
const FULL_NAME = 'fullName';

/**
 * Asks, one column at a time, which field it holds: the suggestion is preselected, "skip" is
 * always there, and a field already taken by an earlier column is shown but disabled.
 */
export async function promptMapping(output: Output, analysis: StoredAnalysis): Promise<Record<string, string>> {
  // Loaded only when someone is asked: scripts and cron never pay for it.
  const { default: inquirer } = await import('inquirer');
  const prompt = inquirer.createPromptModule({ input: process.stdin, output: output.stderr });
  const mapping: Record<string, string> = Object.create(null);
  const taken = new Map<string, string>();
  for (const column of analysis.columns) {
    const stats = analysis.columnSummary[column];
    const samples = stats?.samples.slice(0, 3).map((s) => safeText(s, 24)).join(', ');
    const suggested = analysis.suggestedMapping[column];
    const choices = [
      ...SYSTEM_FIELDS.map((field) => ({
        value: field.key as string,
        name: `${field.label}${field.required ? ' *' : ''}`,
        disabled: taken.has(field.key) ? `(used by "${safeText(taken.get(field.key)!, 24)}")` : false,
      })),
      { value: SKIP, name: 'skip — do not import this column', disabled: false },
      {
        value: FULL_NAME,
        name: 'Full Name — split into First Name and Last Name',
        disabled: taken.has('firstName') || taken.has('lastName') ? '(first or last name already used)' : false,
      },
    ];
    const free = suggested === FULL_NAME ? !taken.has('firstName') && !taken.has('lastName') : suggested && !taken.has(suggested);
    const preselect = suggested && free ? suggested : SKIP;
    const answer = await prompt<{ field: string }>([
      {
        type: 'select',
        name: 'field',
        message: `${safeText(column, 40)}${samples ? output.style.dim(`  e.g. ${samples}`) : ''}`,
        choices,
        default: preselect,
        pageSize: choices.length,
        loop: false,
      },
    ]).catch((error: unknown) => {
      // Ctrl-C or a closed terminal at a prompt: a cancel, not a crash.
      if (error instanceof Error && error.name === 'ExitPromptError') {
        throw new ImportError('INTERRUPTED', 'mapping cancelled; nothing was saved');
      }
      throw error;
    });
    if (answer.field !== SKIP) {
      mapping[column] = answer.field;
      taken.set(answer.field, column);
      if (answer.field === FULL_NAME) for (const key of ['firstName', 'lastName']) taken.set(key, column);
    }
  }
  return mapping;
}
