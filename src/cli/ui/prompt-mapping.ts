import { ImportError } from '../../errors.js';
import { SYSTEM_FIELDS } from '../../contacts/fields.js';
import type { StoredAnalysis } from '../../pipeline/stored-analysis.js';
import type { Output } from './output.js';
import { safeText } from './safe-text.js';

const SKIP = '';
const BACK = '\u0000back';
const ACCEPT_REST = '\u0000accept-rest';
const SAVE = '\u0000save';
/** The pseudo-field split into first and last name: it takes both. */
const FULL_NAME = 'fullName';
const NAME_PARTS = ['firstName', 'lastName'];

type Ask = (message: string, choices: unknown[], preselect: string) => Promise<string>;

/**
 * Asks which field each column holds, one column at a time: the suggestion is preselected,
 * "skip" is always there, a field taken by another column is shown disabled (the cursor passes
 * over it), "back" returns to the previous column and "accept the suggestions for the rest"
 * ends the questions. A review screen then lists the whole mapping: save it, or pick a column
 * to change.
 */
export async function promptMapping(output: Output, analysis: StoredAnalysis): Promise<Record<string, string>> {
  const ask = await asker(output);
  const { columns } = analysis;
  const chosen = new Map<string, string>();
  const questionFor = (column: string, actions: unknown[]): Promise<string> => {
    const choices = [...fieldChoices(column, chosen), ...actions];
    const current = chosen.get(column);
    const suggested = analysis.suggestedMapping[column];
    const preselect = current ?? (suggested && !takenBy(chosen, suggested, column) ? suggested : SKIP);
    return ask(messageFor(output, analysis, column), choices, preselect);
  };

  let i = 0;
  while (i < columns.length) {
    const column = columns[i];
    const actions = [
      { value: ACCEPT_REST, name: `accept the suggestions for the ${columns.length - i} remaining columns` },
      ...(i > 0 ? [{ value: BACK, name: `back to "${safeText(columns[i - 1], 30)}"` }] : []),
    ];
    const answer = await questionFor(column, actions);
    if (answer === BACK) {
      i--;
      continue;
    }
    if (answer === ACCEPT_REST) {
      for (const rest of columns.slice(i)) {
        const suggested = analysis.suggestedMapping[rest];
        if (suggested && !takenBy(chosen, suggested, rest)) chosen.set(rest, suggested);
        else chosen.delete(rest);
      }
      break;
    }
    setChoice(chosen, column, answer);
    i++;
  }

  // The review: the whole mapping at once, saved only when confirmed.
  for (;;) {
    const labels = new Map<string, string>([...SYSTEM_FIELDS.map((f): [string, string] => [f.key, f.label]), [FULL_NAME, 'Full Name (first and last)']]);
    const width = Math.min(30, Math.max(...columns.map((c) => safeText(c).length)));
    const choices = [
      { value: SAVE, name: 'save this mapping' },
      ...columns.map((column) => {
        const field = chosen.get(column);
        return { value: column, name: `${safeText(column, 30).padEnd(width)} → ${field ? labels.get(field) : 'skip'}` };
      }),
    ];
    const answer = await ask('Review the mapping: save it, or pick a column to change', choices, SAVE);
    if (answer === SAVE) break;
    setChoice(chosen, answer, await questionFor(answer, []));
  }
  const mapping: Record<string, string> = Object.create(null);
  for (const [column, field] of chosen) mapping[column] = field;
  return mapping;
}

function setChoice(chosen: Map<string, string>, column: string, field: string): void {
  if (field === SKIP) chosen.delete(column);
  else chosen.set(column, field);
}

/** The other column that holds `field`, or a field it overlaps (fullName and first/last name). */
function takenBy(chosen: Map<string, string>, field: string, except: string): string | undefined {
  const overlapping = field === FULL_NAME ? NAME_PARTS : NAME_PARTS.includes(field) ? [FULL_NAME] : [];
  for (const [column, value] of chosen) {
    if (column !== except && (value === field || overlapping.includes(value))) return column;
  }
  return undefined;
}

function fieldChoices(column: string, chosen: Map<string, string>): unknown[] {
  return [
    ...SYSTEM_FIELDS.map((field) => {
      const owner = takenBy(chosen, field.key, column);
      return {
        value: field.key as string,
        name: `${field.label}${field.required ? ' *' : ''}`,
        disabled: owner !== undefined ? `(used by "${safeText(owner, 24)}")` : false,
      };
    }),
    { value: SKIP, name: 'skip — do not import this column' },
    {
      value: FULL_NAME,
      name: 'Full Name — split into First Name and Last Name',
      disabled: takenBy(chosen, FULL_NAME, column) !== undefined ? '(first or last name already used)' : false,
    },
  ];
}

function messageFor(output: Output, analysis: StoredAnalysis, column: string): string {
  const samples = analysis.columnSummary[column]?.samples.slice(0, 3).map((s) => safeText(s, 24)).join(', ');
  return `${safeText(column, 40)}${samples ? output.style.dim(`  e.g. ${samples}`) : ''}`;
}

/** inquirer's select prompt on the terminal; loaded only when someone is asked. */
async function asker(output: Output): Promise<Ask> {
  const { default: inquirer } = await import('inquirer');
  const prompt = inquirer.createPromptModule({ input: process.stdin, output: output.stderr });
  const separator = new inquirer.Separator();
  return async (message, choices, preselect) => {
    const all = choices.flatMap((choice, n) =>
      // A rule between the fields and the actions (back, accept the rest).
      n > 0 && isAction(choice) && !isAction(choices[n - 1]) ? [separator, choice] : [choice],
    );
    try {
      const answer = await prompt<{ value: string }>([
        { type: 'select', name: 'value', message, choices: all as never, default: preselect, pageSize: Math.min(all.length, 20), loop: false },
      ]);
      return answer.value;
    } catch (error) {
      // Ctrl-C or a closed terminal at a prompt: a cancel, not a crash.
      if (error instanceof Error && error.name === 'ExitPromptError') {
        throw new ImportError('INTERRUPTED', 'mapping cancelled; nothing was saved');
      }
      throw error;
    }
  };
}

function isAction(choice: unknown): boolean {
  const value = (choice as { value?: string }).value;
  return value === BACK || value === ACCEPT_REST;
}
