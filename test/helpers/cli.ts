import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The real command line, as a user runs it: a separate process.
const bin = fileURLToPath(new URL('../../bin/dailypapers.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dailypapers ARGS` in `cwd` with only PATH, a silent log and `env` in its environment. */
export function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
