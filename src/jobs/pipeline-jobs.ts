import { analyze, type AnalyzeOptions } from '../pipeline/analyze.js';
import type { Context } from '../pipeline/context.js';
import { importContacts, type ImportOptions } from '../pipeline/import.js';
import { abandonAnalysis } from '../pipeline/queue-analysis.js';
import type { JobHandler } from './job-runner.js';

export interface AnalyzeJob {
  fileId: string;
  /** How to read the file, when not detected. */
  read?: Pick<AnalyzeOptions, 'sheet' | 'encoding' | 'delimiter' | 'headerRow'>;
}

export interface ImportJob {
  fileId: string;
  options: Pick<ImportOptions, 'excludeRows' | 'onDuplicate' | 'dryRun' | 'maxInvalid'>;
}

/** The pipeline steps that run as jobs, each the same library call the CLI makes. */
export function pipelineJobs(ctx: Context): Record<'analyze' | 'import', JobHandler> {
  const analyzeJob: JobHandler<AnalyzeJob> = {
    run: ({ fileId, read }, { signal, progress, note }) => analyze(ctx, fileId, { ...read, signal, onProgress: progress, note }),
    abandon: ({ fileId }, reason) => abandonAnalysis(ctx, fileId, `${reason}; analyze the file again`),
  };
  const importJob: JobHandler<ImportJob> = {
    run: ({ fileId, options }, { signal, progress }) => importContacts(ctx, fileId, { ...options, signal, onProgress: progress }),
  };
  return { analyze: analyzeJob, import: importJob };
}
