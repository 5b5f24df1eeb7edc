/**
 * Runs every benchmark in bench/ (or those named: `npm run bench -- import http`), each in its own
 * process so none inherits another's heap or JIT state. Each prints one JSON object; they pass through.
 */
import { fileURLToPath } from 'node:url';
import { runScripts } from './lib/script-runner.js';

await runScripts(fileURLToPath(new URL('.', import.meta.url)), 'bench', process.argv.slice(2));
