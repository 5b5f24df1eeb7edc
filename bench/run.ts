/**
 * `npm run bench`: runs every benchmark in this folder (or those named as arguments, e.g.
 * `npm run bench -- feeds`) one after another, each in its own process so none disturbs the next.
 * Each prints its own JSON figures.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
if (benches.length === 0) throw new Error(`no benchmark named ${wanted.join(', ')}`);

let failed = false;
for (const name of benches) {
  console.error(`# ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
