import type { AlertStorage } from '../../../src/store/alert-storage.js';
import type { EndpointState } from '../../../src/store/delivery-endpoints.js';
import type { AlertMatch } from '../../../src/store/delivery-ledger.js';
import type { Delivery, DeliveryAttempt } from '../../../src/store/delivery-store.js';

/**
 * The alert feature's storage in memory: the stages' contract (src/store/alert-storage.ts) without a
 * database, for unit tests of the alert and deliver stages. One process, so `transaction` and `lockRule`
 * have nothing to serialise; the SQL behind the real one is tested against PostgreSQL and PGlite.
 */
export function memoryAlertStorage(): AlertStorage & { matches: AlertMatch[]; rows: Map<string, Delivery>; attempts: Map<string, DeliveryAttempt[]>; states: Map<string, EndpointState> } {
  const matches: AlertMatch[] = [];
  const rows = new Map<string, Delivery>();
  const attempts = new Map<string, DeliveryAttempt[]>();
  const states = new Map<string, EndpointState>();
  const state = (id: string): EndpointState => {
    let s = states.get(id);
    if (!s) states.set(id, (s = { endpointId: id, disabledAt: null, disabledReason: null, failingSince: null, lastSuccessAt: null, lastFailureAt: null }));
    return s;
  };
  const ofRule = (ruleId: string) => matches.filter((m) => m.ruleId === ruleId);
  const storage: ReturnType<typeof memoryAlertStorage> = {
    matches,
    rows,
    attempts,
    states,
    ledger: {
      lockRule: async () => undefined,
      get: async (ruleId, eventKey) => matches.find((m) => m.ruleId === ruleId && m.eventKey === eventKey) ?? null,
      insert: async (m) => {
        if (matches.some((x) => x.ruleId === m.ruleId && x.eventKey === m.eventKey)) return;
        matches.push({ ...m, matchedAt: m.matchedAt.toISOString(), digestWindow: m.digestWindow?.toISOString() ?? null });
      },
      recentStories: async (ruleId, since) =>
        ofRule(ruleId)
          .filter((m) => m.kind === 'article' && m.fingerprint && m.matchedAt >= since.toISOString())
          .map((m) => ({ articleId: m.articleId ?? '', outcome: m.outcome, storyOf: m.storyOf, fingerprint: m.fingerprint ?? [] })),
      storyMembers: async (ruleId, root) => ofRule(ruleId).filter((m) => m.kind === 'article' && (m.articleId === root || m.storyOf === root)),
      countSent: async (ruleId, since) => ofRule(ruleId).filter((m) => m.outcome === 'sent' && m.kind !== 'digest' && m.matchedAt >= since.toISOString()).length,
      digestItems: async (ruleId, window) => ofRule(ruleId).filter((m) => m.digestWindow === window.toISOString() && m.outcome === 'digested'),
    },
    deliveries: {
      create: async (news, at) => {
        for (const d of news) {
          if (rows.has(d.id)) continue;
          const iso = at.toISOString();
          rows.set(d.id, { ...d, status: 'pending', attempts: 0, lastStatus: null, lastError: null, replays: 0, createdAt: iso, updatedAt: iso, deliveredAt: null });
        }
        return news.map((d) => d.id).filter((id) => rows.get(id)?.status === 'pending').sort();
      },
      get: async (id) => rows.get(id) ?? null,
      recordAttempt: async (id, attempt, next) => {
        const d = rows.get(id) as Delivery;
        const n = d.attempts + 1;
        rows.set(id, { ...d, attempts: n, lastStatus: attempt.statusCode, lastError: next.error ?? attempt.error, status: next.status, updatedAt: attempt.at, deliveredAt: next.status === 'delivered' ? attempt.at : d.deliveredAt });
        attempts.set(id, [...(attempts.get(id) ?? []), { ...attempt, attempt: n }]);
        return n;
      },
      setStatus: async (id, status, error, at) => {
        const d = rows.get(id);
        if (d) rows.set(id, { ...d, status, lastError: error ?? d.lastError, updatedAt: at.toISOString() });
      },
      reopen: async (id, at) => {
        const d = rows.get(id);
        if (!d) return null;
        rows.set(id, { ...d, status: 'pending', replays: d.replays + 1, updatedAt: at.toISOString() });
        return d.replays + 1;
      },
      laterCount: async (id) => (attempts.get(id) ?? []).filter((a) => a.outcome === 'later').length,
      cancelPendingFor: async (endpointId, reason, at) => {
        const pending = [...rows.values()].filter((d) => d.endpointId === endpointId && d.status === 'pending');
        for (const d of pending) rows.set(d.id, { ...d, status: 'cancelled', lastError: reason, updatedAt: at.toISOString() });
        return pending.length;
      },
    },
    endpoints: {
      get: async (id) => states.get(id) ?? null,
      recordSuccess: async (id, at) => void Object.assign(state(id), { lastSuccessAt: at.toISOString(), failingSince: null }),
      recordFailure: async (id, at) => {
        const s = state(id);
        s.failingSince ??= at.toISOString();
        s.lastFailureAt = at.toISOString();
        return new Date(s.failingSince);
      },
      failuresSince: async (id, since) =>
        [...rows.values()].filter((d) => d.endpointId === id).flatMap((d) => attempts.get(d.id) ?? []).filter((a) => a.outcome === 'failed' && a.at >= since.toISOString()).length,
      disable: async (id, reason, at) => {
        const s = state(id);
        if (s.disabledAt) return false;
        Object.assign(s, { disabledAt: at.toISOString(), disabledReason: reason });
        return true;
      },
    },
    transaction: (fn) => fn(storage),
  };
  return storage;
}
