import fs from 'node:fs';
import { compileMapping } from '../contacts/compile-mapping.js';
import { ImportError } from '../errors.js';
import type { ColumnMapping, MapResult, StoredAnalysis } from '../types.js';
import { STORAGE_KEYS } from '../types.js';
import { checkRecord } from './check-record.js';
import type { Context } from './context.js';
import { requireAnalysis } from './session.js';
import { loadTemplate, saveTemplate } from './templates.js';

/** Where a mapping comes from when nobody is asked: any of these; `set` applies on top. */
export interface MappingChoice {
  /** Start from the suggested mapping. */
  auto?: boolean;
  /** A JSON file: `{ "Column": "field" }`, or map's own `{ "mapping": { … } }`. */
  mappingFile?: string;
  /** A saved template. */
  template?: string;
  /** "Column=field" assignments, already parsed; '' or 'skip' leaves a column out. */
  set?: Record<string, string>;
}

/**
 * Refuses a choice naming more than one base mapping (a template, a mapping file, the
 * suggested mapping): one would silently win over the other. `set` goes on top of any of them.
 */
export function checkMappingChoice(choice: MappingChoice): void {
  const sources: Array<[option: string, shown: string]> = [];
  if (choice.template) sources.push(['template', `template "${choice.template}"`]);
  if (choice.mappingFile) sources.push(['mappingFile', `mapping file ${choice.mappingFile}`]);
  if (choice.auto) sources.push(['auto', 'the suggested mapping (auto)']);
  if (sources.length < 2) return;
  const [[first, firstShown], [second, secondShown]] = sources as [[string, string], [string, string]];
  throw new ImportError('USAGE', `two mappings given: ${firstShown} and ${secondShown}`, {
    hint: `give only one of ${first} and ${second} (set adds assignments to either)`,
    options: [first, second, 'set'],
  });
}

export function hasMappingChoice(choice: MappingChoice): boolean {
  return Boolean(choice.auto || choice.mappingFile || choice.template || (choice.set && Object.keys(choice.set).length > 0));
}

/**
 * Builds the mapping a choice describes. Template columns absent from this file are dropped
 * with a note (a template serves many files); a mapping file must match the file exactly.
 */
export async function resolveMapping(
  ctx: Context,
  analysis: StoredAnalysis,
  choice: MappingChoice,
): Promise<{ mapping: Record<string, string>; notes: string[] }> {
  checkMappingChoice(choice);
  const notes: string[] = [];
  let mapping: Record<string, string> = Object.create(null);
  if (choice.template) {
    const template = await loadTemplate(ctx.config, choice.template);
    const present = new Set(analysis.columns);
    for (const [column, field] of Object.entries(template.mapping)) {
      if (present.has(column)) mapping[column] = field;
      else notes.push(`template column "${column}" is not in this file; ignored`);
    }
  } else if (choice.mappingFile) {
    mapping = readMappingFile(choice.mappingFile);
  } else if (choice.auto) {
    mapping = Object.assign(Object.create(null), analysis.suggestedMapping);
  }
  for (const [column, field] of Object.entries(choice.set ?? {})) {
    // An explicit assignment takes the field from whichever column had it.
    for (const [other, otherField] of Object.entries(mapping)) {
      if (otherField === field && other !== column) delete mapping[other];
    }
    mapping[column] = field;
  }
  return { mapping, notes };
}

function readMappingFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'not valid JSON';
    throw new ImportError('BAD_MAPPING', `mapping file ${file} is ${reason}`, {
      hint: 'pass a JSON object such as {"Email Address": "email", "First Name": "firstName"}',
    });
  }
  const candidate = isObject(parsed) && isObject(parsed.mapping) ? parsed.mapping : parsed;
  if (!isObject(candidate) || !Object.values(candidate).every((v) => v === null || typeof v === 'string')) {
    throw new ImportError('BAD_MAPPING', `mapping file ${file} must map column names to field names`, {
      hint: 'e.g. {"Email Address": "email", "First Name": "firstName"}',
    });
  }
  const mapping: Record<string, string> = Object.create(null);
  for (const [column, field] of Object.entries(candidate)) mapping[column] = (field as string | null) ?? '';
  return mapping;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a mapping against the file's columns (required fields, one column per field, known
 * names), stores it for preview and import, and reports validity over the sample rows.
 */
export async function saveMapping(
  ctx: Context,
  fileId: string,
  mapping: Record<string, string>,
  options: { saveTemplate?: string } = {},
): Promise<MapResult> {
  const analysis = await requireAnalysis(ctx, fileId);
  const plan = compileMapping(mapping, analysis.columns);
  let validRows = 0;
  for (const sample of analysis.sampleRows) {
    const row = { row: sample._rowIndex, values: sample.values, problems: sample.problems, cellErrors: sample.cellErrors };
    if (checkRecord(row, plan, ctx.config).contact) validRows++;
  }
  const stored: ColumnMapping = { mapping: plan.mapping, s3Key: analysis.s3Key, fileId };
  await ctx.state.set(STORAGE_KEYS.mapping(fileId), stored, ctx.config.ttlSeconds);
  if (options.saveTemplate) await saveTemplate(ctx.config, options.saveTemplate, plan.mapping);
  return { success: true, mapping: plan.mapping, validRows, invalidRows: analysis.sampleRows.length - validRows };
}
