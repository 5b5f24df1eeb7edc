import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * Runs every script of a folder (or those named), each in its own process so none inherits
 * another's heap or JIT state; their output passes through. Scripts named in `first` run before
 * the rest (alphabetical); `run.ts` and files starting with `_` are not scripts. Exit status 1 when
 * one failed, 2 for an unknown name.
 */
export async function runScripts(dir: string, what: string, requested: string[], first: string[] = []): Promise<void> {
  const available = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
    .map((f) => basename(f, '.ts'))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  function rank(name: string): number {
    const at = first.indexOf(name);
    return at === -1 ? first.length : at;
  }
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown ${what}: ${unknown.join(', ')} (available: ${available.join(', ')})\n`);
    process.exit(2);
  }
  let failed = 0;
  for (const name of requested.length > 0 ? requested : available) {
    process.stderr.write(`${what} ${name}…\n`);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(dir, `${name}.ts`)], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('close', resolve);
    });
    if (code !== 0) {
      failed++;
      process.stderr.write(`${what} ${name} failed (exit ${code})\n`);
    }
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
