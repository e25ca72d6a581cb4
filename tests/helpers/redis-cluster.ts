import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './service-process.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** A Redis Cluster of the test's own: its nodes, its URL for REDIS_URL, and a stop that removes everything. */
export interface RedisCluster {
  /** `redis-cluster://127.0.0.1:P1,127.0.0.1:P2,…`, as a user gives it to framewatch. */
  url: string;
  ports: number[];
  /** `redis-cli -p PORT …` against one node, its output trimmed. */
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `nodes` Redis servers with cluster mode on free loopback ports (each with its own bus port, Redis 7's
 * `cluster-port`, so none depends on port+10000 being free), in a temporary folder, and joins them with
 * `redis-cli --cluster create … --cluster-replicas 0`. Never touches the machine's own Redis.
 */
export async function startRedisCluster(nodes = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'fw-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 30_000 })).stdout.trim();
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => (clearTimeout(timer), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < nodes; i++) {
      const port = await freePort();
      const busPort = await freePort();
      const nodeDir = join(dir, String(port));
      mkdirSync(nodeDir);
      const child = spawn(
        'redis-server',
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-port', String(busPort),
          '--cluster-config-file', join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout', '5000',
          '--dir', nodeDir,
          '--appendonly', 'yes',
          '--save', '',
          '--maxmemory-policy', 'noeviction',
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      ports.push(port);
    }
    for (const port of ports) await waitFor(async () => (await cli(port, 'ping')) === 'PONG', { timeoutMs: 15_000, what: `redis-server on ${port}` });
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 60_000 });
    for (const port of ports) await waitFor(async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), { timeoutMs: 30_000, what: `cluster_state:ok on ${port}` });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, cli, stop };
}
