import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free loopback port (the OS picks it; the tiny race before the service binds it is harmless here). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process wrote to stderr (its JSON logs), line by line. */
  logs: string[];
  stdout: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real CLI (`node bin/framewatch.js …`) from the sources, as a user would. `nodeArgs` go to node
 * itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept).
 */
export function spawnFramewatch(args: string[], env: Record<string, string>, nodeArgs: string[] = []): ServiceProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, 'bin', 'framewatch.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', FRAMEWATCH_FROM_SOURCE: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stdout: string[] = [];
  let errTail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (errTail + chunk).split('\n');
    errTail = lines.pop() ?? '';
    logs.push(...lines);
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (errTail) logs.push(errTail);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    logs,
    stdout,
    exited,
    stop: async (graceMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Parsed JSON log records of a process (non-JSON lines are kept as `{ raw }`). */
export function logRecords(logs: string[]): Record<string, unknown>[] {
  return logs.filter(Boolean).map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { raw: line };
    }
  });
}
