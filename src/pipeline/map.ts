import fs from 'node:fs';
import { compileMapping } from '../contacts/compile-mapping.js';
import { ImportError } from '../errors.js';
import type { ColumnMapping, MapResult } from '../types.js';
import type { StoredAnalysis } from './stored-analysis.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import { checkRecord } from './check-record.js';
import type { Context } from './context.js';
import { requireAnalysis } from './session.js';
import { fieldByKey, REQUIRED_FIELDS } from '../contacts/fields.js';
import { describeDrift, fitOf, rankTemplates, TEMPLATE_PICK_THRESHOLD, type TemplateFit } from './template-fit.js';
import { loadTemplate, saveTemplate, type MappingTemplate } from './templates.js';

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
  /** Refuse a template whose columns differ from the file's in any way (default: warn). */
  strictColumns?: boolean;
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

/** Which template a mapping came from, why, and how the file's columns differ from it. */
export interface TemplateUse {
  name: string;
  /** 'given' (named by the caller), 'exact' (picked: the same columns) or 'best' (picked: the closest, above the threshold). */
  how: 'given' | 'exact' | 'best';
  /** Why, in words: `picked: the file has exactly its columns`. */
  reason: string;
  /** Shared columns over all columns of both. */
  score: number;
  missing: string[];
  added: string[];
}

export interface ResolvedMapping {
  mapping: Record<string, string>;
  /** Warnings for the user: the columns a template expected and the file lacks, and new ones. */
  notes: string[];
  template?: TemplateUse;
}

/**
 * Builds the mapping a choice describes. A template serves many files: its columns absent
 * from this file are dropped and every difference reported in `notes` (or, with
 * `strictColumns`, refused); a mapping file must match the file exactly.
 */
export async function resolveMapping(ctx: Context, analysis: StoredAnalysis, choice: MappingChoice): Promise<ResolvedMapping> {
  checkMappingChoice(choice);
  if (choice.template) {
    const template = await loadTemplate(ctx.config, choice.template);
    return applyTemplate(template, fitOf(template, analysis.columns), 'given', analysis, choice);
  }
  let mapping: Record<string, string> = Object.create(null);
  if (choice.mappingFile) mapping = readMappingFile(choice.mappingFile);
  else if (choice.auto) mapping = Object.assign(Object.create(null), analysis.suggestedMapping);
  applyAssignments(mapping, choice.set);
  return { mapping, notes: [] };
}

/**
 * With no mapping given: the saved template whose columns this file has — exactly, else the
 * best match sharing at least TEMPLATE_PICK_THRESHOLD of the columns. `closest` is the best
 * one there is (for the error when none fits); neither when no template is saved.
 */
export async function pickTemplate(
  ctx: Context,
  analysis: StoredAnalysis,
  choice: Pick<MappingChoice, 'set' | 'strictColumns'> = {},
): Promise<{ resolved?: ResolvedMapping; closest?: TemplateFit }> {
  const [best] = await rankTemplates(ctx.config, analysis.columns);
  if (!best) return {};
  const exact = best.drift.missing.length === 0 && best.drift.added.length === 0;
  if (!exact && best.score < TEMPLATE_PICK_THRESHOLD) return { closest: best };
  return { resolved: applyTemplate(best.template, best, exact ? 'exact' : 'best', analysis, choice), closest: best };
}

function applyTemplate(template: MappingTemplate, fit: TemplateFit, how: TemplateUse['how'], analysis: StoredAnalysis, choice: Pick<MappingChoice, 'set' | 'strictColumns'>): ResolvedMapping {
  const { drift, score } = fit;
  const warning = describeDrift(template, drift);
  if (warning && choice.strictColumns) {
    throw new ImportError('BAD_MAPPING', `the file's columns differ from the template (${warning}); nothing was imported`, {
      hint: 'save the template again from this file (saveTemplate NAME), or leave out strictColumns to import the columns that still match',
      options: ['saveTemplate', 'strictColumns'],
    });
  }
  const present = new Set(analysis.columns);
  const mapping: Record<string, string> = Object.create(null);
  for (const [column, field] of Object.entries(template.mapping)) if (present.has(column)) mapping[column] = field;
  applyAssignments(mapping, choice.set);
  const mapped = new Set(Object.values(mapping).map((f) => lenientField(f)));
  for (const key of REQUIRED_FIELDS) {
    if (mapped.has(key)) continue;
    const expected = Object.keys(template.mapping).find((c) => lenientField(template.mapping[c] as string) === key && !present.has(c));
    if (expected === undefined) continue;
    const { label } = fieldByKey(key);
    throw new ImportError('BAD_MAPPING', `Required field ${label} (${key}) not mapped: template "${template.name}" expects it in column "${expected}", which this file lacks`, {
      column: expected,
      hint: `map the column that holds it now, with set "Column=${key}", or save the template again from this file (saveTemplate NAME)`,
      options: ['set', 'saveTemplate'],
    });
  }
  const percent = Math.round(score * 100);
  const reason =
    how === 'given' ? `as given${warning ? `, ${percent}% of the columns shared` : ''}`
    : how === 'exact' ? 'picked: the file has exactly its columns'
    : `picked: the closest saved template, ${percent}% of the columns shared (at least ${Math.round(TEMPLATE_PICK_THRESHOLD * 100)}% needed)`;
  return {
    mapping,
    notes: warning ? [warning] : [],
    template: { name: template.name, how, reason, score, missing: drift.missing, added: drift.added },
  };
}

/** An explicit assignment takes the field from whichever column had it. */
function applyAssignments(mapping: Record<string, string>, set: Record<string, string> | undefined): void {
  for (const [column, field] of Object.entries(set ?? {})) {
    for (const [other, otherField] of Object.entries(mapping)) {
      if (otherField === field && other !== column) delete mapping[other];
    }
    mapping[column] = field;
  }
}

/** A mapping value as a field key when it names one (leniently, as compileMapping reads it). */
function lenientField(value: string): string {
  try {
    const plan = compileMapping({ x: value }, ['x'], { requireFields: false });
    return plan.entries[0]?.field ?? value;
  } catch {
    return value;
  }
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
  if (options.saveTemplate) await saveTemplate(ctx.config, options.saveTemplate, plan.mapping, analysis.columns);
  return { success: true, mapping: plan.mapping, validRows, invalidRows: analysis.sampleRows.length - validRows };
}
