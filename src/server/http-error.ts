import type { FastifyError } from 'fastify';
import { isImportError, type ErrorCode, type ImportError } from '../errors.js';
import { serverHints } from './server-hints.js';

/** The seed's error body, with the library's code and hint. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  hint?: string;
  row?: number;
  column?: string;
}

const STATUS: Record<ErrorCode, number> = {
  USAGE: 400,
  NOT_FOUND: 404,
  UNSUPPORTED_FILE: 415,
  UNREADABLE_FILE: 400,
  TOO_LARGE: 413,
  EMPTY_FILE: 400,
  BAD_MAPPING: 400,
  NO_MAPPING: 400,
  PROMPT_NEEDED: 400,
  NOT_CONFIGURED: 503,
  MAX_INVALID: 400,
  LOCKED: 409,
  CONFLICT: 409,
  INTERRUPTED: 503,
  CANCELLED: 400,
  UNAUTHORIZED: 401,
  RATE_LIMITED: 429,
  IO: 503,
  INTERNAL: 500,
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * Any failure as a status and the seed's `{error, code}` body. Fastify's own errors (schema
 * validation, bad JSON, body limits, media types) become 400/415 with their message; anything
 * unknown is a 500 that says nothing about the server's insides.
 */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (isImportError(error)) return { status: STATUS[error.code], body: bodyOf(error) };
  const fastify = error as Partial<FastifyError>;
  if (fastify.validation) return usage(fastify.message ?? 'invalid request');
  switch (fastify.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: fastify.message ?? 'unsupported media type', code: 'USAGE', hint: 'send Content-Type: application/json' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return usage('the request body is too large (JSON bodies are limited to 8 MB; files go to their upload URL)');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return usage(fastify.message ?? 'the request body is not valid JSON');
  }
  // A store that a plugin talks to directly (the rate limiter's Redis) failing to connect.
  if (UNREACHABLE.has(String(fastify.code)) || fastify.name === 'MaxRetriesPerRequestError') {
    return { status: 503, body: { error: 'a service this server needs is unreachable', code: 'IO', hint: 'try again shortly' } };
  }
  const status = fastify.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, body: { error: fastify.message ?? 'bad request', code: 'USAGE' } };
  return { status: 500, body: { error: 'internal error', code: 'INTERNAL', hint: 'the server log has the details' } };
}

export function bodyOf(error: ImportError): ErrorBody {
  const hint = error.hintFor(serverHints);
  const { row, column } = error.place;
  return {
    error: error.message,
    code: error.code,
    ...(hint ? { hint } : {}),
    ...(row !== undefined ? { row } : {}),
    ...(column !== undefined ? { column } : {}),
  };
}

function usage(message: string): { status: number; body: ErrorBody } {
  return { status: 400, body: { error: message, code: 'USAGE' } };
}
