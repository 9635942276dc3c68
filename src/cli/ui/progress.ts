import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '../../types.js';
import type { Output } from './output.js';

const LABELS: Record<ProgressEvent['phase'], string> = {
  upload: 'Uploading',
  analyze: 'Analyzing',
  validate: 'Validating',
  import: 'Importing',
  preview: 'Reading',
};

/**
 * A progress bar (bytes, rows, rate, ETA) on stderr when it is a terminal; nothing otherwise,
 * so cron logs and pipes stay clean. Call `stop()` before printing the result.
 */
export function progressBar(output: Output): { listener: ProgressListener | undefined; stop(): void } {
  if (!output.interactiveTerminal || output.quiet) return { listener: undefined, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let phase: ProgressEvent['phase'] | undefined;
  let startedAt = Date.now();
  const listener: ProgressListener = (event) => {
    if (event.phase !== phase) {
      bar?.stop();
      phase = event.phase;
      startedAt = Date.now();
      bar = new cliProgress.SingleBar(
        {
          stream: output.stderr,
          format: `${LABELS[event.phase].padEnd(10)} {bar} {percentage}% | {mb}/{totalMb} MB | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(event.totalBytes ?? event.bytes, 1), 0, { rows: 0, rate: 0, mb: '0.0', totalMb: mb(event.totalBytes ?? 0) });
    }
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
    bar?.update(event.bytes, {
      rows: event.rows,
      rate: Math.round(event.rows / seconds),
      mb: mb(event.bytes),
      totalMb: mb(event.totalBytes ?? event.bytes),
    });
  };
  return {
    listener,
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
