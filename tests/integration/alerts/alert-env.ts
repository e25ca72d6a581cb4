import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { alertsFileSchema, type AlertsConfig } from '../../../src/config/alerts-schema.js';
import { compileRuleSet, type AlertRuleSet } from '../../../src/alerts/rule-set.js';
import { systemClock, type Clock } from '../../../src/domain/types.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { PgDb } from '../../../src/store/pg-db.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestDatabase } from '../../helpers/postgres.js';

export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** A database of the test file's own with every migration applied. */
export async function openTestDb(name: string): Promise<{ db: Db; drop: () => Promise<void> }> {
  const created = await createTestDatabase(name);
  const db = await PgDb.connect(created.url, { max: 4 });
  await migrate(db);
  return {
    db,
    drop: async () => {
      await db.close();
      await created.drop();
    },
  };
}

/** What the loopback receiver saw: each request with its verification result. */
export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  verified: boolean;
  status: number;
  at: number;
}

/**
 * A loopback webhook receiver that verifies every request with the `standardwebhooks` verifier and answers
 * what `answer` says (a status, or a handler for slow/redirect cases).
 */
export async function startReceiver(secret = SECRET): Promise<{
  server: FixtureServer;
  url: string;
  received: Received[];
  answer: (fn: (n: number, req: IncomingMessage, res: ServerResponse) => void | Promise<void>) => void;
}> {
  const server = await startFixtureServer();
  const received: Received[] = [];
  let answerFn: (n: number, req: IncomingMessage, res: ServerResponse) => void | Promise<void> = (_n, _req, res) => void res.writeHead(204).end();
  server.route('/hook', async (req, res) => {
    const last = server.requests[server.requests.length - 1];
    const body = last?.body ?? '';
    const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
    let verified: boolean;
    try {
      new Webhook(secret).verify(body, headers);
      verified = true;
    } catch {
      verified = false;
    }
    const entry: Received = { id: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']), signature: headers['webhook-signature'], body, verified, status: 0, at: Date.now() };
    received.push(entry);
    await answerFn(received.length, req, res);
    entry.status = res.statusCode;
  });
  return { server, url: `${server.origin}/hook`, received, answer: (fn) => (answerFn = fn) };
}

export function testFetcher(): ClosableSafeFetcher {
  return createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'framewatch-test', timeoutMs: 10_000, maxBytes: 1_000_000, maxRedirects: 5 });
}

/** A validated rule set from a plain object (as alerts.yaml would hold). */
export function ruleSet(file: unknown): AlertRuleSet {
  return compileRuleSet(alertsFileSchema.parse(file) as AlertsConfig);
}

/** A clock tests move by hand (windows, "failing for days"). */
export class ManualClock implements Clock {
  constructor(private t: number = systemClock.now().getTime()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(date: Date): void {
    this.t = date.getTime();
  }
}
