import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routesWithAccess, tokenMatches } from '../auth.js';
import { isSecureRequest, sessionCookie, sessionIdOf, tokenSubject, type SessionStore } from '../sessions.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardDeps {
  queues: Queue[];
  apiToken: string | null;
  /** Where `?token=` sign-ins keep their sessions (the cookie holds only a random id). */
  sessions: SessionStore;
  sessionTtlMs: number;
}

/**
 * Bull Board at /admin/queues behind the API token. A browser cannot add a bearer header to the
 * dashboard's own requests, so `?token=` once starts a server-side session whose random id the browser
 * keeps in an HttpOnly, SameSite=Strict cookie (`Secure` over HTTPS).
 */
export async function registerQueueDashboard(app: FastifyInstance, deps: QueueDashboardDeps): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(
    async (scope) => {
      // The dashboard authenticates its own routes (bearer, or the session cookie set by ?token=), below.
      scope.addHook('onRoute', routesWithAccess('scope'));
      if (deps.apiToken !== null) scope.addHook('onRequest', dashboardAuth(deps.apiToken, deps.sessions, deps.sessionTtlMs));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: DASHBOARD_PATH },
  );
}

function dashboardAuth(apiToken: string, sessions: SessionStore, sessionTtlMs: number) {
  const subject = tokenSubject(apiToken);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined && tokenMatches(bearer, apiToken)) return;
    const sessionId = sessionIdOf(req);
    if (sessionId !== null && (await sessions.lookup(sessionId))?.subject === subject) return;
    const query = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof query === 'string' && tokenMatches(query, apiToken)) {
      const { id } = await sessions.create(subject);
      void reply.header('set-cookie', sessionCookie(id, { secure: isSecureRequest(req), maxAgeMs: sessionTtlMs }));
      return;
    }
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'the queue dashboard needs the API token (header, or ?token= once)' });
  };
}
