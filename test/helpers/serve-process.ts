import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliBin } from './cli.js';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Null while it runs; its exit code or signal once it has exited. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  stop(): Promise<void>;
}

/** A port nothing listens on now (the kernel's pick for port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `dailypapers serve` in its own process, as an operator runs it, answering on a loopback port;
 * resolves once /healthz answers, or (SERVICES without web) once it says its services started.
 */
export async function startServeProcess(env: Record<string, string>): Promise<ServeProcess> {
  const web = (env.SERVICES ?? 'web').split(',').includes('web');
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [cliBin, 'serve'], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: web ? 'warn' : 'info',
      SCHEDULER_ENABLED: 'false',
      PORT: String(port),
      BASE_URL: url,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  for (let i = 0; ; i++) {
    if (exit) throw new Error(`serve exited before answering: ${JSON.stringify(exit)}\n${output}`);
    const ready = web
      ? await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      : output.includes('"msg":"services started"');
    if (ready) break;
    if (i > 600) {
      child.kill('SIGKILL');
      throw new Error(`serve did not answer within 60 s\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    child,
    output: () => output,
    exit: () => exit,
    stop: async () => {
      if (!exit) child.kill('SIGTERM');
      await exited;
    },
  };
}
