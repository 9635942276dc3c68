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

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A progress bar on stderr when it is a terminal; nothing otherwise, so cron logs and pipes stay
 * clean. It shows MB done of the total and MB/s (and rows and rows/s once rows are read); when
 * the size is unknown (standard input) a spinner with the bytes so far instead of a bar and an ETA.
 * Call `stop()` before printing the result.
 */
export function progressBar(output: Output): { listener: ProgressListener | undefined; stop(): void } {
  if (!output.interactiveTerminal || output.quiet) return { listener: undefined, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let phase: ProgressEvent['phase'] | undefined;
  let startedAt = Date.now();
  let frame = 0;
  const listener: ProgressListener = (event) => {
    const known = event.totalBytes !== undefined && event.totalBytes > 0;
    if (event.phase !== phase) {
      bar?.stop();
      phase = event.phase;
      startedAt = Date.now();
      const rows = event.phase === 'upload' ? '' : ' | {rows} rows | {rowRate} rows/s';
      const format = known
        ? `${LABELS[event.phase].padEnd(10)} {bar} {percentage}% | {mb}/{totalMb} MB | {speed} MB/s${rows} | ETA {eta_formatted}`
        : `${LABELS[event.phase].padEnd(10)} {spinner} {mb} MB | {speed} MB/s${rows}`;
      bar = new cliProgress.SingleBar(
        { stream: output.stderr, format, hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(known ? event.totalBytes! : 1, 0, payload(event, 0.001, 0));
    }
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
    bar?.update(known ? event.bytes : 0, payload(event, seconds, frame++));
  };
  return {
    listener,
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function payload(event: ProgressEvent, seconds: number, frame: number): Record<string, string | number> {
  return {
    rows: event.rows,
    rowRate: Math.round(event.rows / seconds),
    mb: mb(event.bytes),
    totalMb: mb(event.totalBytes ?? event.bytes),
    speed: mb(event.bytes / seconds),
    spinner: SPINNER[frame % SPINNER.length],
  };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
