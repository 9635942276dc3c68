import type { Command } from 'commander';
import { parseAssignments } from '../../contacts/parse-mapping-assignments.js';
import { ImportError } from '../../errors.js';
import { hasMappingChoice, pickTemplate, resolveMapping, saveMapping, type MappingChoice, type ResolvedMapping } from '../../pipeline/map.js';
import { requireAnalysis } from '../../pipeline/session.js';
import { canPrompt, withContext } from '../command-context.js';
import { collect } from '../parse-options.js';
import { promptMapping } from '../ui/prompt-mapping.js';
import { renderMapping } from '../ui/render-mapping.js';

export interface MappingFlags {
  auto?: boolean;
  mapping?: string;
  set?: string[];
  template?: string;
  strictColumns?: boolean;
}

export function addMappingOptions(command: Command): Command {
  return command
    .option('--auto', 'use the suggested mapping')
    .option('--mapping <file.json>', 'a JSON file: {"Column": "field", …}')
    .option('--set <Column=field>', 'map one column (repeatable; applies on top of the others; Column=skip leaves it out)', collect)
    .option('--template <name>', 'a mapping saved earlier with --save-template (without a mapping flag, the saved template whose columns the file has is used)')
    .option('--strict-columns', "refuse (exit 2) a template whose columns differ from the file's, instead of warning");
}

export function mappingChoiceOf(flags: MappingFlags): MappingChoice {
  return { auto: flags.auto, mappingFile: flags.mapping, template: flags.template, set: parseAssignments(flags.set ?? []), strictColumns: flags.strictColumns };
}

export function registerMap(program: Command): void {
  const command = program
    .command('map')
    .description('map the file’s columns to contact fields: prompts on a terminal, flags otherwise')
    .requiredOption('--file-id <id>', 'an analyzed file');
  addMappingOptions(command)
    .option('--save-template <name>', 'also save the mapping as a reusable template')
    .addHelpText(
      'after',
      `
Fields: email*, firstName*, lastName, phone, company, title, address, city, state, country, zipCode, notes (* required)

Examples:
  $ contact-import map --file-id file_0b8e…                       (asks, one column at a time)
  $ contact-import map --file-id file_0b8e… --auto --set "Mobile=phone" --save-template crm
  $ contact-import map --file-id file_0b8e… --template crm --json`,
    )
    .action(async (flags: MappingFlags & { fileId: string; saveTemplate?: string }, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const analysis = await requireAnalysis(ctx, flags.fileId);
        const choice = mappingChoiceOf(flags);
        let mapping: Record<string, string>;
        let resolved: ResolvedMapping | undefined;
        if (hasMappingChoice(choice)) resolved = await resolveMapping(ctx, analysis, choice);
        else resolved = (await pickTemplate(ctx, analysis, choice)).resolved;
        if (resolved) {
          if (resolved.template && resolved.template.how !== 'given') output.warn(`using template "${resolved.template.name}" (${resolved.template.reason})`);
          for (const note of resolved.notes) output.warn(note);
          mapping = resolved.mapping;
        } else if (canPrompt(cmd)) {
          mapping = await promptMapping(output, analysis);
        } else {
          throw new ImportError('PROMPT_NEEDED', 'map needs a terminal to ask, or a mapping given by flags', {
            hint: 'pass --auto, --mapping FILE.json, --set "Column=field" or --template NAME',
          });
        }
        const saved = await saveMapping(ctx, flags.fileId, mapping, { saveTemplate: flags.saveTemplate });
        const result = { ...saved, ...(resolved?.template ? { template: resolved.template } : {}), ...(resolved?.notes.length ? { warnings: resolved.notes } : {}) };
        output.result(result, () => {
          renderMapping(output, result, analysis.columns);
          if (flags.saveTemplate) output.print(`saved as template "${flags.saveTemplate}"`);
          output.info(output.style.dim(`next: contact-import preview --file-id ${flags.fileId}`));
        });
      });
    });
}
