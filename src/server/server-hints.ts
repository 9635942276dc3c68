import type { HintRenderer, NextStep } from '../errors.js';

/** Library options whose request field is named differently. */
const FIELDS: Record<string, string> = { excludeRows: 'excludedRows' };

/** Hints in an HTTP client's words: options as request fields, next steps as routes. */
export const serverHints: HintRenderer = {
  option: (name) => FIELDS[name] ?? name,
  next: (step) => routeOf(step),
};

function routeOf(step: NextStep): string {
  switch (step.step) {
    case 'upload':
      return 'POST /api/upload';
    case 'analyze':
      return `POST /api/analyze {"fileId":"${step.fileId}"}`;
    case 'map':
      return `POST /api/map-columns {"fileId":"${step.fileId}","mapping":{…}}`;
    case 'preview':
      return `GET /api/preview?fileId=${step.fileId}${step.invalidOnly ? '&invalidOnly=true' : ''}`;
    case 'import':
      return step.fileId ? `POST /api/import {"fileId":"${step.fileId}"}` : 'POST /api/import';
    case 'history':
      return 'GET /api/imports';
    case 'undo':
      return `POST /api/imports/${step.importId}/undo`;
  }
}
