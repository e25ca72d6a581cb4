import type { Db } from './db.js';
import { EndpointStateStore, type EndpointState } from './delivery-endpoints.js';
import { AlertLedger, type AlertMatch, type NewAlertMatch, type StoryCandidate } from './delivery-ledger.js';
import { DeliveryStore, type Delivery, type DeliveryAttempt, type DeliveryStatus, type NewDelivery } from './delivery-store.js';

/**
 * The storage of the alert feature, as the alert and deliver stages see it (src/pipeline/alert.ts,
 * deliver.ts): small interfaces the PostgreSQL stores implement (checked in pgAlertStorage below), so a
 * stage can be given a fake.
 */

/** What one rule did with each event (`alert_matches`): one alert per story, throttles, digests. */
export interface AlertLedgerRecords {
  /** Serialises decisions of one rule until the transaction ends (call it inside `transaction`). */
  lockRule(ruleId: string): Promise<void>;
  get(ruleId: string, eventKey: string): Promise<AlertMatch | null>;
  insert(match: NewAlertMatch): Promise<void>;
  recentStories(ruleId: string, since: Date): Promise<StoryCandidate[]>;
  storyMembers(ruleId: string, storyOf: string): Promise<AlertMatch[]>;
  countSent(ruleId: string, since: Date): Promise<number>;
  digestItems(ruleId: string, window: Date): Promise<AlertMatch[]>;
}

/** Webhook deliveries and their attempts. */
export interface DeliveryRecords {
  /** Stores the deliveries not stored yet; returns the ids of the given ones still pending. */
  create(rows: NewDelivery[], at: Date): Promise<string[]>;
  get(id: string): Promise<Delivery | null>;
  /** Records one attempt and the delivery's new status; returns the attempt's number. */
  recordAttempt(id: string, attempt: Omit<DeliveryAttempt, 'attempt'>, next: { status: DeliveryStatus; error?: string | null }): Promise<number>;
  setStatus(id: string, status: DeliveryStatus, error: string | null, at: Date): Promise<void>;
  reopen(id: string, at: Date): Promise<number | null>;
  laterCount(id: string): Promise<number>;
  cancelPendingFor(endpointId: string, reason: string, at: Date): Promise<number>;
}

/** Each endpoint's health, shared by every worker (disabled, failing since). */
export interface EndpointStates {
  get(endpointId: string): Promise<EndpointState | null>;
  recordSuccess(endpointId: string, at: Date): Promise<void>;
  recordFailure(endpointId: string, at: Date): Promise<Date>;
  failuresSince(endpointId: string, since: Date): Promise<number>;
  disable(endpointId: string, reason: string, at: Date): Promise<boolean>;
}

/** The three together; `transaction(fn)` runs fn with all three bound to one transaction. */
export interface AlertStorage {
  ledger: AlertLedgerRecords;
  deliveries: DeliveryRecords;
  endpoints: EndpointStates;
  transaction<T>(fn: (tx: AlertStorage) => Promise<T>): Promise<T>;
}

/** The alert feature's storage in PostgreSQL (or PGlite). */
export function pgAlertStorage(db: Db): AlertStorage {
  return {
    ledger: new AlertLedger(db),
    deliveries: new DeliveryStore(db),
    endpoints: new EndpointStateStore(db),
    transaction: (fn) => db.transaction((tx) => fn(pgAlertStorage(tx))),
  };
}
