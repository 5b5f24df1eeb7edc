/** Runs every benchmark in bench/ one after another, each in its own process; each prints its JSON figures. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
let failed = false;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').sort()) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`bench/${file} failed (exit ${run.status})\n`);
    failed = true;
  }
}
if (failed) process.exitCode = 1;
