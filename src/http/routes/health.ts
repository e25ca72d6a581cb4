import type { FastifyPluginAsync } from 'fastify';
import type { WorkerStatus } from '../../obs/worker-status.js';

export interface ReadinessProbe {
  name: string;
  check: () => Promise<void>;
}

export interface HealthRouteDeps {
  probes: ReadinessProbe[];
  workers: () => Promise<WorkerStatus[]>;
}

/** `/healthz`: the process answers (both probes are exempt from the rate limit). `/readyz`: Redis and the database answer and every local worker consumes. */
export function healthRoutes(deps: HealthRouteDeps): FastifyPluginAsync {
  return async (app) => {
    // Probes are exempt from the per-IP rate limit: a flood from one address must not fail liveness.
    const probe = { config: { rateLimit: false as const } };
    app.get('/healthz', probe, async () => ({ status: 'ok' }));
    app.get('/readyz', probe, async (_req, reply) => {
      const checks: Record<string, { ok: boolean; error?: string }> = {};
      await Promise.all(
        deps.probes.map(async (probe) => {
          try {
            await withTimeout(probe.check(), 2_000, `${probe.name} did not answer within 2 s`);
            checks[probe.name] = { ok: true };
          } catch (err) {
            checks[probe.name] = { ok: false, error: (err as Error).message };
          }
        }),
      );
      const workers = await deps.workers();
      const ready = Object.values(checks).every((c) => c.ok) && workers.every((w) => w.ok);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks, workers });
    });
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
