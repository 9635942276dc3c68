import type { Command } from 'commander';
import { deleteTemplate, listTemplates, loadTemplate } from '../../pipeline/templates.js';
import { withContext } from '../command-context.js';
import { safeText } from '../ui/safe-text.js';
import { renderTable } from '../ui/table.js';

export function registerTemplates(program: Command): void {
  const templates = program
    .command('templates')
    .description('list, show or delete the mapping templates saved with map --save-template')
    .addHelpText(
      'after',
      `
Examples:
  $ contact-import templates                 # the saved templates, one name a line
  $ contact-import templates show crm        # which column maps to which field
  $ contact-import templates delete crm --json`,
    )
    .action(async (_flags: unknown, cmd: Command) => listCommand(cmd));

  templates
    .command('list')
    .description('the saved templates, one name a line')
    .addHelpText('after', '\nExample:\n  $ contact-import templates list --json')
    .action(async (_flags: unknown, cmd: Command) => listCommand(cmd));

  templates
    .command('show')
    .description('a template’s mapping: column → field')
    .argument('<name>', 'the template name')
    .addHelpText('after', '\nExample:\n  $ contact-import templates show crm')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        const template = await loadTemplate(ctx.config, name);
        output.result(template, () => {
          output.print(renderTable(['Column', 'Field'], Object.entries(template.mapping), 60));
          output.info(output.style.dim(`saved ${template.savedAt}; use it with map --template ${safeText(template.name)}`));
        });
      });
    });

  templates
    .command('delete')
    .description('delete a saved template')
    .argument('<name>', 'the template name')
    .addHelpText('after', '\nExample:\n  $ contact-import templates delete crm')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      await withContext(cmd, async (ctx, output) => {
        await deleteTemplate(ctx.config, name);
        output.result({ deleted: name }, () => output.print(`deleted template "${safeText(name)}"`));
      });
    });
}

async function listCommand(cmd: Command): Promise<void> {
  await withContext(cmd, async (ctx, output) => {
    const names = await listTemplates(ctx.config);
    output.result({ templates: names }, () => {
      for (const name of names) output.print(name);
      if (names.length === 0) output.info('no templates saved yet (map --save-template NAME saves one)');
    });
  });
}
