import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../domain/types.js';
import { replayDelivery } from '../../pipeline/deliver.js';
import type { QueueClient } from '../../queues/queue-client.js';
import { isRealUtcTimestamp, isStorableText } from '../../store/cursor.js';
import { DeliveryStore, type Delivery, type DeliveryAttempt } from '../../store/delivery-store.js';
import { durationSchema } from '../../config/duration.js';
import { isoDateParam, repeatable, useZodSchemas } from '../zod-validation.js';

const statusSchema = z.enum(['pending', 'delivered', 'dead', 'cancelled']);

export const deliveryListQuerySchema = z.strictObject({
  endpoint: z.string().min(1).max(200).optional(),
  status: repeatable(statusSchema).optional(),
  /** An ISO date-time or a duration back from now (`24h`). */
  since: z.union([isoDateParam, durationSchema.transform((ms) => ({ agoMs: ms }))]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

const idParams = z.strictObject({ id: z.string().min(1).max(200) });

/** A delivery as the API shows it: the stored event parsed, and its attempts when asked for one. */
export interface DeliveryView extends Omit<Delivery, 'body'> {
  event: unknown;
  attemptLog?: DeliveryAttempt[];
}

export interface DeliveryRoutesDeps {
  deliveries: DeliveryStore;
  queues: QueueClient;
  clock: Clock;
  /** Attempts per replayed job: attemptsFor(settings.alerts.retrySchedule). */
  deliveryAttempts: number;
}

/**
 * `GET /deliveries` (filters: endpoint, status, since; newest first, keyset `cursor`), `GET /deliveries/:id`
 * (with every attempt) and `POST /deliveries/:id/replay` (same webhook-id; see replayDelivery).
 */
export function deliveryRoutes(deps: DeliveryRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    app.get('/deliveries', { schema: { summary: 'Webhook deliveries, newest first', tags: ['deliveries'], querystring: deliveryListQuerySchema } }, async (req) => {
      const q = req.query as z.output<typeof deliveryListQuerySchema>;
      const since = q.since === undefined ? undefined : q.since instanceof Date ? q.since : new Date(deps.clock.now().getTime() - q.since.agoMs);
      const before = q.cursor ? decodeCursor(q.cursor) : null;
      const rows = await deps.deliveries.list({ endpoint: q.endpoint, status: q.status, since, limit: q.limit + 1, before });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return { items: page.map((d) => view(d)), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
    });

    app.get('/deliveries/:id', { schema: { summary: 'One delivery with its attempts', tags: ['deliveries'], params: idParams } }, async (req, reply) => {
      const { id } = req.params as z.output<typeof idParams>;
      const d = await deps.deliveries.get(id);
      if (!d) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no delivery ${id}` });
      return view(d, await deps.deliveries.attempts(id));
    });

    app.post('/deliveries/:id/replay', { schema: { summary: 'Send a delivery again (same webhook-id)', tags: ['deliveries'], params: idParams } }, async (req, reply) => {
      const { id } = req.params as z.output<typeof idParams>;
      const result = await replayDelivery(deps.deliveries, deps.queues.enqueue, id, { attempts: deps.deliveryAttempts, at: deps.clock.now() });
      if (!result) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no delivery ${id}` });
      return reply.code(202).send(result);
    });
  };
}

function view(d: Delivery, attempts?: DeliveryAttempt[]): DeliveryView {
  const { body, ...rest } = d;
  return { ...rest, event: JSON.parse(body) as unknown, ...(attempts ? { attemptLog: attempts } : {}) };
}

function encodeCursor(d: Delivery): string {
  return Buffer.from(JSON.stringify([d.createdAt, d.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isRealUtcTimestamp(createdAt) || !isStorableText(id)) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw Object.assign(new Error('cursor: not a cursor this API gave out'), { statusCode: 400, parameter: 'cursor' });
  }
}
