/**
 * Runs every benchmark in bench/ (or those named on the command line: `npm run bench -- harvest`),
 * one after another, each in its own process so one cannot warm or starve another. Each prints JSON.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
if (benches.length === 0) throw new Error(`no benchmark named ${wanted.join(', ')} in bench/`);
for (const name of benches) {
  execFileSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`], { stdio: 'inherit' });
}
