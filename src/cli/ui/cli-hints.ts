import type { HintRenderer, NextStep } from '../../errors.js';

/** Library options whose flag is not simply the option's name in kebab case. */
const FLAGS: Record<string, string> = {
  fileName: '--filename',
  mappingFile: '--mapping',
};

/** Hints in the CLI's words: options as flags, next steps as the command to run. */
export const cliHints: HintRenderer = {
  option: (name) => FLAGS[name] ?? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
  next: commandFor,
};

function commandFor(next: NextStep): string {
  switch (next.step) {
    case 'upload':
      return 'contact-import upload <path>';
    case 'analyze':
      return `contact-import analyze --file-id ${next.fileId}`;
    case 'map':
      return `contact-import map --file-id ${next.fileId}`;
    case 'preview':
      return `contact-import preview --file-id ${next.fileId}${next.invalidOnly ? ' --invalid-only' : ''}`;
    case 'import':
      return next.fileId ? `contact-import import --file-id ${next.fileId}` : 'run the same command again';
    case 'history':
      return 'contact-import history';
    case 'undo':
      return `contact-import undo ${next.importId}`;
  }
}
