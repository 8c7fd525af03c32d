import { SingleBar } from 'cli-progress';

/**
 * Progress of one long benchmark step on stderr: a bar on a terminal, otherwise a line every few seconds
 * (so a log captured to a file stays readable). Stdout keeps the figures.
 */
export interface Progress {
  update(done: number, note?: string): void;
  stop(): void;
}

export function progress(label: string, total: number, unit = 'rows'): Progress {
  const started = performance.now();
  const rate = (done: number) => Math.round(done / Math.max(0.001, (performance.now() - started) / 1000));
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: ` ${label.padEnd(24)} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s {note}`,
      hideCursor: true,
      stream: process.stderr,
    });
    bar.start(Math.max(1, total), 0, { rate: 0, note: '' });
    return {
      update: (done, note = '') => bar.update(done, { rate: rate(done), note }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, note = '') {
      const now = performance.now();
      if (now - last < 5000 && done < total) return;
      last = now;
      const pct = total ? Math.round((100 * done) / total) : 0;
      process.stderr.write(
        `  ${label}: ${pct}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit} (${rate(done).toLocaleString('en-US')} ${unit}/s) ${note}\n`,
      );
    },
    stop() {},
  };
}
