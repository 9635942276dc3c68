import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { ImportError, toImportError } from '../errors.js';
import { writeFileAtomic } from '../streams/write-file-atomic.js';

// Saved mappings, reused across files with the same columns. They live in <home>/templates/
// (not in the expiring session state): a template is configuration, not a cache.

const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface MappingTemplate {
  name: string;
  mapping: Record<string, string>;
  /**
   * The header signature of the file it was made from: every column, mapped or not, in order.
   * Templates saved before it was recorded have none; their mapped columns stand in for it.
   */
  columns?: string[];
  savedAt: string;
}

/** The columns a template expects: its recorded header, else the columns it maps. */
export function signatureOf(template: MappingTemplate): string[] {
  return template.columns ?? Object.keys(template.mapping);
}

function templatePath(config: Config, name: string): string {
  if (!TEMPLATE_NAME.test(name)) {
    throw new ImportError('USAGE', `invalid template name "${name}"`, {
      hint: 'use letters, digits, dot, dash and underscore (at most 64 characters)',
    });
  }
  return path.join(config.home, 'templates', `${name}.json`);
}

export async function saveTemplate(config: Config, name: string, mapping: Record<string, string>, columns?: readonly string[]): Promise<void> {
  const file = templatePath(config, name);
  const template: MappingTemplate = { name, mapping, ...(columns ? { columns: [...columns] } : {}), savedAt: new Date().toISOString() };
  await writeFileAtomic(file, `${JSON.stringify(template, null, 2)}\n`).catch((error: unknown) => {
    throw toImportError(error, `cannot save template "${name}"`);
  });
}

export async function loadTemplate(config: Config, name: string): Promise<MappingTemplate> {
  const file = templatePath(config, name);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    const known = await listTemplates(config);
    throw new ImportError('NOT_FOUND', `no mapping template named "${name}"`, {
      ...(known.length > 0
        ? { hint: `saved templates: ${known.join(', ')}` }
        : { hint: 'save one while mapping, with saveTemplate NAME', options: ['saveTemplate'] }),
    });
  }
  try {
    const template = JSON.parse(text) as MappingTemplate;
    if (!template || typeof template.mapping !== 'object') throw new Error('no mapping');
    if (template.columns !== undefined && !(Array.isArray(template.columns) && template.columns.every((c) => typeof c === 'string'))) {
      throw new Error('bad columns');
    }
    return template;
  } catch {
    throw new ImportError('BAD_MAPPING', `template "${name}" is not valid JSON`, {
      file,
      hint: 'save it again while mapping, with saveTemplate',
      options: ['saveTemplate'],
    });
  }
}

export async function listTemplates(config: Config): Promise<string[]> {
  try {
    const names = await fs.promises.readdir(path.join(config.home, 'templates'));
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** Removes a saved template; an unknown name is NOT_FOUND (listing the saved ones). */
export async function deleteTemplate(config: Config, name: string): Promise<void> {
  await loadTemplate(config, name);
  await fs.promises.unlink(templatePath(config, name)).catch((error: unknown) => {
    throw toImportError(error, `cannot delete template "${name}"`);
  });
}
