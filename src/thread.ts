import { parentPort, Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

/** How a worker thread starts: its heap limits, and plain-JavaScript modules to load before tsx. */
export interface WorkerStart {
  /** Caps the thread's heap: past it the thread dies alone, not the process. */
  resourceLimits?: ResourceLimits;
  /**
   * Large plain-JavaScript packages imported before tsx is registered, so Node loads them as it would
   * without tsx: through tsx's loader, pdfjs alone takes some 300 MB more.
   */
  preload?: string[];
}

/** Starts a worker thread on a TypeScript module under tsx, as the CLI runs (the sources load without a build). */
export function startTypeScriptWorker(entry: URL, options: WorkerStart = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const preload = (options.preload ?? []).map((specifier) => import.meta.resolve(specifier));
  const source = `Promise.all(${JSON.stringify(preload)}.map((url) => import(url))).then(() => import(${JSON.stringify(tsx)})).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  // With preloads, no inherited `--import tsx` either: the thread registers tsx itself, after them.
  return new Worker(source, {
    eval: true,
    resourceLimits: options.resourceLimits,
    ...(preload.length > 0 ? { execArgv: [] } : {}),
  });
}

type Call = { id: number; method: string; args: unknown[] };
type Reply = { id: number; value: unknown } | { id: number; error: string; code?: string };
/** What a thread's method returns: a value, or a value with buffers to move rather than copy. */
export type ThreadAnswer = unknown | { value: unknown; transfer: Transferable[] };

/** Inside a worker thread: answers each call with the method of that name. */
export function serveThreadCalls(
  methods: Record<string, (...args: never[]) => ThreadAnswer | Promise<ThreadAnswer>>,
): void {
  parentPort!.on('message', async ({ id, method, args }: Call) => {
    try {
      const answer = await (methods[method] as (...args: unknown[]) => unknown)(...args);
      const moved = answer instanceof MovedAnswer ? answer : null;
      parentPort!.postMessage({ id, value: moved ? moved.value : answer } satisfies Reply, moved?.transfer ?? []);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const message = error instanceof Error ? error.message : String(error);
      parentPort!.postMessage({
        id,
        error: message,
        code: typeof code === 'string' ? code : undefined,
      } satisfies Reply);
    }
  });
}

/** An answer whose buffers are moved to the caller instead of copied. */
export class MovedAnswer {
  constructor(
    readonly value: unknown,
    readonly transfer: Transferable[],
  ) {}
}

/**
 * Calls methods of a module running on its own worker thread, started on first call. The thread
 * keeps the process alive only while a call is pending, so a command exits when its work is done.
 */
export class ThreadClient {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  /** `entry`: a TypeScript module that serves its calls (serveThreadCalls), or a function that starts such a worker. */
  constructor(
    private readonly entry: URL | (() => Worker),
    private readonly name: string,
  ) {}

  /** Calls sent and not yet answered. */
  get pending(): number {
    return this.waiting.size;
  }

  call<T>(method: string, args: unknown[] = [], transfer: Transferable[] = []): Promise<T> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    if (this.waiting.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies Call, transfer);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private settle(id: number): { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker?.unref();
    return waiter;
  }

  private start(): Worker {
    const worker = typeof this.entry === 'function' ? this.entry() : startTypeScriptWorker(this.entry);
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiter = this.settle(reply.id);
      if ('error' in reply)
        waiter?.reject(Object.assign(new Error(`${this.name}: ${reply.error}`), { code: reply.code }));
      else waiter?.resolve(reply.value);
    });
    const failAll = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', (error) => failAll(new Error(`${this.name} thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => failAll(new Error(`${this.name} thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
