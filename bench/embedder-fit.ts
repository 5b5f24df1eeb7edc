/**
 * Fitting and applying the corpus-learned embedders on the 97k corpus (its first BENCH_PAPERS, all
 * by default) on this one thread, as the embedding job does. The anchor, in the same run, is the
 * LSA fit; then SIF word-vector models (BENCH_KINDS: sgns, ppmi), each on its own. Prints fit wall
 * and CPU seconds, papers embedded per second and the peak resident memory after each. Budget: a
 * fit under 10 minutes, at least 1,000 papers/s.
 */
import { resourceUsage } from 'node:process';
import { lsaFitOptions, paperText } from '../src/search/embedder.js';
import { embedLsa, fitLsa } from '../src/search/lsa.js';
import { embedSif, fitSif } from '../eval/_word-vectors.js';
import { printResult, round, timed } from './_common.js';
import { corpusLines } from './lib/corpus.js';

const LIMIT = Number(process.env.BENCH_PAPERS ?? Number.POSITIVE_INFINITY);
const KINDS = (process.env.BENCH_KINDS ?? 'sgns,ppmi').split(',');

const texts: string[] = [];
for await (const line of corpusLines()) {
  if (texts.length >= LIMIT) break;
  texts.push(paperText(line));
}
const sample = texts.slice(0, 10_000);

const fitters: Record<string, () => (texts: string[]) => Float32Array[]> = {
  lsa: () => {
    const model = fitLsa(texts, lsaFitOptions(texts.length));
    return (t) => embedLsa(model, t);
  },
  sgns: () => {
    const model = fitSif(texts, { dimensions: 128, epochs: 1, maxDocuments: 40_000 });
    return (t) => embedSif(model, t);
  },
  ppmi: () => {
    const model = fitSif(texts, { dimensions: 256, method: 'ppmi', maxDocuments: 40_000 });
    return (t) => embedSif(model, t);
  },
};

const results: Record<string, unknown> = {};
for (const kind of ['lsa', ...KINDS]) {
  const fit = await timed(async () => fitters[kind]!());
  const embed = await timed(async () => fit.value(sample));
  results[kind] = {
    fit_seconds: round(fit.seconds, 1),
    fit_cpu_seconds: round(fit.cpuSeconds, 1),
    papers_per_s: Math.round(sample.length / embed.seconds),
    // The process's peak so far: each fit's own peak is at most this.
    peak_rss_mb: Math.round(resourceUsage().maxRSS / 1024),
  };
  process.stderr.write(`${kind}: ${JSON.stringify(results[kind])}\n`);
}
printResult({ bench: 'embedder-fit', papers: texts.length, anchor: 'lsa', ...results });
