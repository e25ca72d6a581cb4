import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routesWithAccess, tokenMatches } from '../auth.js';

export const DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'framewatch_admin';

/**
 * Bull Board at /admin/queues behind the API token. A browser cannot add a bearer header to the
 * dashboard's own requests, so `?token=` once sets an HttpOnly cookie holding a hash of the token.
 */
export async function registerQueueDashboard(app: FastifyInstance, deps: { queues: Queue[]; apiToken: string | null }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(
    async (scope) => {
      // The dashboard authenticates its own routes (bearer, or the cookie set by ?token=), below.
      scope.addHook('onRoute', routesWithAccess('scope'));
      if (deps.apiToken !== null) scope.addHook('onRequest', dashboardAuth(deps.apiToken));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}

function cookieValue(token: string): string {
  return createHash('sha256').update(`framewatch-admin:${token}`).digest('hex');
}

function dashboardAuth(apiToken: string) {
  const expected = cookieValue(apiToken);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined && tokenMatches(bearer, apiToken)) return;
    const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
    if (cookie !== undefined && tokenMatches(cookie, expected)) return;
    const query = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof query === 'string' && tokenMatches(query, apiToken)) {
      void reply.header('set-cookie', `${COOKIE}=${expected}; Path=${DASHBOARD_PATH}; HttpOnly; SameSite=Strict`);
      return;
    }
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'the queue dashboard needs the API token (header, or ?token= once)' });
  };
}
