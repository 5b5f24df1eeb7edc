/**
 * `npm run eval`: every quality evaluation in eval/ (or those named: `npm run eval -- similar`), one
 * after the other, each in its own process, each printing its table with its anchor: search by
 * mode on scifact-train first, then similar papers on csfcube-dev, then the rest.
 */
import { fileURLToPath } from 'node:url';
import { runScripts } from '../bench/lib/script-runner.js';

await runScripts(fileURLToPath(new URL('.', import.meta.url)), 'eval', process.argv.slice(2), ['scifact', 'similar']);
