import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { parseDatabaseUrl } from '../db/open-contact-store.js';
import { ImportError } from '../errors.js';
import type { Context } from './context.js';

export interface OutputPaths {
  errorsOut?: string;
  importedOut?: string;
  database?: string;
}

/** What each option's file holds, for the message. */
const WHAT = { errorsOut: 'the rejected rows', importedOut: 'the imported rows' } as const;

/**
 * Refuses, before anything is written, a results file that would replace the file being
 * imported, the SQLite database (or its -wal/-shm/-journal files) or anything in the uploads
 * folder. Paths are compared as the file system resolves them: a results file is renamed into
 * place, so what it replaces is the entry <real folder>/<name>; a protected file is also known
 * by its real path, in case the name given for it is a symlink.
 */
export async function checkOutputPaths(ctx: Context, options: OutputPaths, input?: string): Promise<void> {
  const outputs = (['errorsOut', 'importedOut'] as const).filter((option) => options[option] !== undefined);
  if (outputs.length === 0) return;
  const protectedFiles: Array<{ what: string; forms: Set<string> }> = [];
  if (input !== undefined) protectedFiles.push({ what: `the input file ${input}`, forms: await realForms(input) });
  const database = parseDatabaseUrl(options.database ?? ctx.config.databaseUrl);
  if (database.engine === 'sqlite' && database.path !== ':memory:') {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      const file = `${database.path}${suffix}`;
      protectedFiles.push({ what: suffix ? `the SQLite database's ${suffix.slice(1)} file ${file}` : `the SQLite database ${file}`, forms: await realForms(file) });
    }
  }
  const uploads = await realForms(path.join(ctx.config.home, 'uploads'));

  const seen = new Map<string, (typeof outputs)[number]>();
  for (const option of outputs) {
    const given = options[option]!;
    const target = await realEntry(given);
    const refuse = (why: string) =>
      new ImportError('USAGE', `refusing to write ${WHAT[option]} to ${given}: it is ${why}`, {
        hint: `choose another path for ${option}`,
        options: [option],
      });
    const other = seen.get(target);
    if (other) throw refuse(`also the path for ${WHAT[other]}`);
    seen.set(target, option);
    for (const { what, forms } of protectedFiles) if (forms.has(target)) throw refuse(what);
    for (const dir of uploads) if (target.startsWith(dir + path.sep)) throw refuse('inside the uploads folder');
  }
}

/** The directory entry a path names: its folder's real path (as far as it exists) plus its name. */
async function realEntry(file: string): Promise<string> {
  const absolute = path.resolve(file);
  return path.join(await realFolder(path.dirname(absolute)), path.basename(absolute));
}

async function realFolder(dir: string): Promise<string> {
  try {
    return await fsp.realpath(dir);
  } catch {
    // Not there yet (the results folder is created on demand): resolve what does exist.
    const parent = path.dirname(dir);
    return parent === dir ? dir : path.join(await realFolder(parent), path.basename(dir));
  }
}

/** Every name a protected file goes by: its entry, and its real path when it is a symlink. */
async function realForms(file: string): Promise<Set<string>> {
  const forms = new Set([await realEntry(file)]);
  const real = await fsp.realpath(file).catch(() => undefined);
  if (real !== undefined) forms.add(real);
  return forms;
}
