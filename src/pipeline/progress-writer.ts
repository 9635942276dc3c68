import type { AnalysisProgress } from './stored-analysis.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';

const WRITE_INTERVAL_MS = 500;

/** Writes a step's progress to the state store at most twice a second, so `status` can follow it. */
export class ProgressWriter {
  private lastWrite = 0;

  constructor(
    private readonly ctx: Context,
    private readonly fileId: string,
    private readonly totalBytes?: number,
    /** The message of every 'analyzing' write. */
    private readonly note?: string,
  ) {}

  /** A promise only when a write is due: the hot loop awaits rarely. */
  tick(processed: number, bytesRead: number): Promise<void> | undefined {
    const now = Date.now();
    if (now - this.lastWrite < WRITE_INTERVAL_MS) return undefined;
    this.lastWrite = now;
    return this.write({ status: 'analyzing', processed, bytesRead });
  }

  write(progress: Omit<AnalysisProgress, 'updatedAt' | 'totalBytes'>): Promise<void> {
    const note = progress.status === 'analyzing' && this.note ? { message: this.note } : {};
    const record: AnalysisProgress = { ...note, ...progress, totalBytes: this.totalBytes, updatedAt: new Date().toISOString() };
    return this.ctx.state.set(STORAGE_KEYS.progress(this.fileId), record, this.ctx.config.ttlSeconds);
  }
}
