import type { Config } from '../config.js';
import { listTemplates, loadTemplate, signatureOf, type MappingTemplate } from './templates.js';

/** How a file's header differs from the one a template was made from. */
export interface ColumnDrift {
  /** Template columns the file lacks. */
  missing: string[];
  /** File columns the template did not have. */
  added: string[];
}

export interface TemplateFit {
  template: MappingTemplate;
  drift: ColumnDrift;
  /** Shared columns over all columns of both (1 = the same header). */
  score: number;
}

/** The best match has to share at least this share of all columns to be picked unasked. */
export const TEMPLATE_PICK_THRESHOLD = 0.8;

export function driftOf(template: MappingTemplate, columns: readonly string[]): ColumnDrift {
  const signature = signatureOf(template);
  const inFile = new Set(columns);
  const inTemplate = new Set(signature);
  return { missing: signature.filter((c) => !inFile.has(c)), added: columns.filter((c) => !inTemplate.has(c)) };
}

export function fitOf(template: MappingTemplate, columns: readonly string[]): TemplateFit {
  const drift = driftOf(template, columns);
  const shared = columns.length - drift.added.length;
  const all = shared + drift.missing.length + drift.added.length;
  return { template, drift, score: all === 0 ? 0 : shared / all };
}

/** Every saved template ranked by how well the file's columns fit it, best first (ties by name). */
export async function rankTemplates(config: Config, columns: readonly string[]): Promise<TemplateFit[]> {
  const fits: TemplateFit[] = [];
  for (const name of await listTemplates(config)) {
    const template = await loadTemplate(config, name).catch(() => undefined);
    if (template) fits.push(fitOf(template, columns));
  }
  return fits.sort((a, b) => b.score - a.score || (a.template.name < b.template.name ? -1 : 1));
}

/** `template "crm": the file lacks "Job Title" (title); new columns: "Title"`, or undefined without drift. */
export function describeDrift(template: MappingTemplate, drift: ColumnDrift): string | undefined {
  const parts: string[] = [];
  if (drift.missing.length > 0) {
    const shown = drift.missing.map((c) => {
      const field = template.mapping[c];
      return field && field !== 'skip' ? `"${c}" (${field})` : `"${c}"`;
    });
    parts.push(`the file lacks ${shown.join(', ')}`);
  }
  if (drift.added.length > 0) parts.push(`new column${drift.added.length > 1 ? 's' : ''} not in the template: ${drift.added.map((c) => `"${c}"`).join(', ')}`);
  return parts.length > 0 ? `template "${template.name}": ${parts.join('; ')}` : undefined;
}
