import cliProgress from 'cli-progress';

export interface CountProgress {
  update(progress: { done: number; total: number }): void;
  stop(): void;
}

/** A bar over papers done of a total, labelled (`embedding`, `enriching`), when stderr is a terminal; nothing otherwise. */
export function papersProgressBar(label: string): CountProgress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {percentage}% | {value}/{total} papers | ETA {eta_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  return {
    update({ done, total }) {
      if (!shown) bar.start(total, done);
      shown = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => shown && bar.stop(),
  };
}
