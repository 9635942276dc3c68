// JSON schemas shared by the routes (they also make /openapi.json). Bodies are strict: unknown
// fields and wrong types are a 400, never silently dropped or coerced.

export const FILE_ID = { type: 'string', minLength: 1, maxLength: 100, description: 'the fileId POST /api/upload returned' } as const;
export const IMPORT_ID = { type: 'string', minLength: 1, maxLength: 100 } as const;

export const ERROR_BODY = {
  type: 'object',
  description: 'the seed’s error body: what went wrong, the library’s error code, what to do',
  properties: {
    error: { type: 'string' },
    code: { type: 'string' },
    hint: { type: 'string' },
    row: { type: 'integer' },
    column: { type: 'string' },
  },
  required: ['error', 'code'],
} as const;

/** Error responses every /api route may give (documentation; the error handler builds them). */
export const ERRORS = { 400: ERROR_BODY, 401: ERROR_BODY, 404: ERROR_BODY, 429: ERROR_BODY, 503: ERROR_BODY } as const;

/** A response documented as an object whose fields are the library's result's. */
export function resultOf(description: string, properties: Record<string, unknown> = {}) {
  return { type: 'object', description, properties, additionalProperties: true } as const;
}

export function fileIdParams() {
  return { type: 'object', properties: { fileId: FILE_ID }, required: ['fileId'], additionalProperties: false } as const;
}

export function importIdParams() {
  return { type: 'object', properties: { importId: IMPORT_ID }, required: ['importId'], additionalProperties: false } as const;
}
