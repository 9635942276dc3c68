import { describe, expect, it } from 'vitest';
import { cliHints } from '../../../src/cli/ui/cli-hints.js';
import { ImportError } from '../../../src/errors.js';

describe('hints in the library and the CLI', () => {
  const error = new ImportError('EMPTY_FILE', 'no header row found', {
    hint: 'set headerRow to the 1-based line of the column names',
    options: ['headerRow'],
    next: { step: 'analyze', fileId: 'abc' },
  });

  it('names options as the library spells them, with no next-step command', () => {
    expect(error.hintFor()).toBe('set headerRow to the 1-based line of the column names');
    expect(error.describe()).toBe('no header row found — set headerRow to the 1-based line of the column names');
  });

  it('renders options as flags and the next step as a command line', () => {
    expect(error.describe(cliHints)).toBe(
      'no header row found — set --header-row to the 1-based line of the column names: contact-import analyze --file-id abc',
    );
  });

  it('renders a next step alone when there is no hint text', () => {
    const bare = new ImportError('NO_MAPPING', 'no mapping saved', { next: { step: 'map', fileId: 'f1' } });
    expect(bare.hintFor(cliHints)).toBe('contact-import map --file-id f1');
    expect(bare.hintFor()).toBeUndefined();
  });

  it('renders a flag that differs from its option from the FLAGS table', () => {
    const needs = new ImportError('USAGE', 'run needs a mapping', {
      hint: 'pass auto, mappingFile FILE.json or template NAME',
      options: ['auto', 'mappingFile', 'template'],
    });
    expect(needs.hintFor(cliHints)).toBe('pass --auto, --mapping FILE.json or --template NAME');
    const name = new ImportError('USAGE', 'a presigned upload needs the file name', { hint: 'pass fileName contacts.csv', options: ['fileName'] });
    expect(name.hintFor(cliHints)).toBe('pass --filename contacts.csv');
  });
});
