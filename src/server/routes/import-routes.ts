import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ImportError } from '../../errors.js';
import { importJobId } from '../../jobs/job-ids.js';
import type { JobRecord } from '../../jobs/job-runner.js';
import type { ImportJob } from '../../jobs/pipeline-jobs.js';
import { findImport, history, undoImport } from '../../pipeline/history.js';
import { importContacts } from '../../pipeline/import.js';
import { rejectedReport } from '../../pipeline/rejected-report.js';
import type { ImportResult, OnDuplicate } from '../../types.js';
import { rateLimit } from '../rate-limits.js';
import { ERRORS, FILE_ID, importIdParams, resultOf } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';

interface ImportBody {
  fileId: string;
  excludedRows?: number[];
  onDuplicate?: OnDuplicate;
  dryRun?: boolean;
}

/** Async imports are followed by their job's id until it ends; the result then names the run. */
const JOB_ID = /^job_[0-9a-f-]{36}$/;

/** Seed Task 12, async imports, and what comes after: history, a run, undo, the rejected rows. */
export async function importRoutes(app: FastifyInstance, { ctx, jobs, config, shutdown }: ServerDeps): Promise<void> {
  app.post<{ Body: ImportBody; Querystring: { async?: string } }>(
    '/api/import',
    {
      config: rateLimit(config, 'import'),
      schema: {
        summary: 'import the mapped rows; with ?async=1 answers 202 at once with an importId to follow',
        querystring: {
          type: 'object',
          properties: { async: { type: 'string', enum: ['0', '1', 'false', 'true'] } },
          additionalProperties: false,
        },
        body: {
          type: 'object',
          properties: {
            fileId: FILE_ID,
            excludedRows: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 1_000_000, description: 'data rows (1-based, as preview numbers them) to leave out' },
            onDuplicate: { type: 'string', enum: ['skip', 'update'] },
            dryRun: { type: 'boolean' },
          },
          required: ['fileId'],
          additionalProperties: false,
        },
        response: { 200: resultOf('the ImportResult'), 202: resultOf('{status, importId}'), ...ERRORS, 409: ERRORS[400] },
      },
    },
    async (request, reply) => {
      const { fileId, excludedRows, onDuplicate, dryRun } = request.body;
      const options = { excludeRows: excludedRows, onDuplicate, dryRun };
      if (request.query.async === '1' || request.query.async === 'true') {
        const job: ImportJob = { fileId, options };
        // Derived from the work: a retried request finds the job it queued, not a second one.
        const record = await jobs.submit('import', importJobId(fileId, options), job);
        return reply.code(202).send({ status: record.status, importId: record.id });
      }
      return renderResult(await importContacts(ctx, fileId, { ...options, signal: shutdown }));
    },
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/api/imports',
    {
      schema: {
        summary: 'past imports, newest first',
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false },
        response: { 200: resultOf('{imports: ImportRun[]}'), ...ERRORS },
      },
    },
    async (request) => ({ imports: await history(ctx, { limit: request.query.limit }) }),
  );

  app.get<{ Params: { importId: string } }>(
    '/api/imports/:importId',
    {
      schema: {
        summary: 'an async import’s progress and result, or a recorded run',
        params: importIdParams(),
        response: { 200: resultOf('{importId, status, progress?, result?, error?} | {importId, status, run}'), ...ERRORS },
      },
    },
    async (request) => {
      const { importId } = request.params;
      if (JOB_ID.test(importId)) return renderJob(importId, await jobs.get(importId));
      const run = await findImport(ctx, importId);
      return { importId, status: run.status, run };
    },
  );

  app.post<{ Params: { importId: string }; Querystring: { force?: boolean } }>(
    '/api/imports/:importId/undo',
    {
      schema: {
        summary: 'delete the contacts an import created and restore the ones it updated',
        params: importIdParams(),
        querystring: {
          type: 'object',
          properties: { force: { type: 'boolean', description: 'undo even when its contacts were changed since' } },
          additionalProperties: false,
        },
        response: { 200: resultOf('the UndoResult'), ...ERRORS, 409: ERRORS[400] },
      },
    },
    async (request) => undoImport(ctx, request.params.importId, { force: request.query.force }),
  );

  app.get<{ Params: { importId: string } }>(
    '/api/imports/:importId/rejected.csv',
    { schema: { summary: 'the rejected rows: original values, row number, fields, reasons', params: importIdParams() } },
    async (request, reply) => {
      const file = rejectedReport(ctx, request.params.importId);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${request.params.importId}.rejected.csv"`).send(fs.createReadStream(file));
    },
  );
}

/** The result with its report as a URL of this server rather than a path on its disk. */
function renderResult(result: ImportResult): ImportResult {
  return { ...result, errorReport: result.errorReport ? `/api/imports/${result.importId}/rejected.csv` : null, importedReport: null };
}

function renderJob(importId: string, job: JobRecord | null): Record<string, unknown> {
  if (job?.kind !== 'import') {
    throw new ImportError('NOT_FOUND', `no import ${importId}`, { hint: 'async imports are kept for TTL_SECONDS', next: { step: 'history' } });
  }
  const status = job.status === 'completed' ? 'completed' : job.status;
  return {
    importId,
    status,
    ...(job.progress ? { progress: job.progress } : {}),
    ...(job.result ? { result: renderResult(job.result as ImportResult) } : {}),
    ...(job.error ? { error: job.error } : {}),
    ...(job.note ? { note: job.note } : {}),
  };
}
