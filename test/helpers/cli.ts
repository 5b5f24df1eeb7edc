import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real command line, as a user runs it: a separate Node process. */
export const cliBin = fileURLToPath(new URL('../../bin/dailypapers.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dailypapers ARGS` with only PATH and `env` in its environment (quiet logs unless `env` says otherwise). */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
      cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
