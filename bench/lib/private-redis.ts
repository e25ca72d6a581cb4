import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  pid: number;
  /** Calls per command since the server started (`INFO commandstats`). */
  commandCalls(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/**
 * A Redis server of the bench's own (no persistence, as the machine's), so `INFO commandstats` counts
 * only framewatch's commands and its CPU time is readable, whatever else runs on the shared server.
 */
export async function startPrivateRedis(port: number): Promise<PrivateRedis> {
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // Refused connections while the server starts are expected; connect() below retries them.
  client.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      break;
    } catch (err) {
      if (i > 50) throw err;
      await sleep(100);
    }
  }
  return {
    url,
    pid: child.pid ?? 0,
    commandCalls: async () => {
      const info = await client.info('commandstats');
      const calls = new Map<string, number>();
      for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1] ?? '', Number(m[2]));
      return calls;
    },
    stop: async () => {
      client.disconnect();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Per-command calls between two readings, largest first. */
export function callDelta(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  return [...after.entries()].map(([cmd, n]): [string, number] => [cmd, n - (before.get(cmd) ?? 0)]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
}
