/**
 * What the desk reads from the API. Records are the server's own types (type-only imports, erased by the
 * bundler); the smaller shapes below mirror the JSON of /api/feeds, /api/deliveries and /api/stats.
 */
import type { ArticleRecord, StoredLabel, LabelEvidence, TraceEntry } from '../../../src/domain/types.js';

export type { ArticleRecord, StoredLabel, LabelEvidence, TraceEntry };

export interface StoredVerdict {
  id: string;
  label: string;
  verdict: 'confirm' | 'reject' | 'add';
  note: string | null;
  reviewer: string | null;
  model: string | null;
  at: string;
}

export interface ArticleDetail extends ArticleRecord {
  reviews: StoredVerdict[];
  history: { labels: unknown[]; relevance: number | null; framework: string | null; model: string | null; reason: string; replacedAt: string }[];
}

export interface ArticlePage {
  items: ArticleRecord[];
  nextCursor: string | null;
}

export interface FrameworkLabel {
  id: string;
  name: string;
  groups: string[];
  description: string;
}

export interface Framework {
  name: string;
  version: string;
  groups: { id: string; name: string }[];
  labels: FrameworkLabel[];
}

export type FeedState = 'ok' | 'degraded' | 'failing' | 'quiet' | 'new';

export interface FeedView {
  id: string;
  url: string;
  name: string;
  tags: string[];
  health: {
    state: FeedState;
    lastSuccessAt: string | null;
    lastError: { class: string; message: string; status?: number; at: string } | null;
    consecutiveFailures: number;
    lastNewItemAt: string | null;
    nextPollAt: string | null;
  };
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  outcome: string;
}

export interface Delivery {
  id: string;
  endpointId: string;
  ruleId: string | null;
  eventType: string;
  articleId: string | null;
  status: 'pending' | 'delivered' | 'dead' | 'cancelled';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  replays: number;
  createdAt: string;
  attemptLog?: DeliveryAttempt[];
}

export interface Stats {
  since: string | null;
  until: string | null;
  articles: number;
  days: { day: string; articles: number; labels: Record<string, number> }[];
  labels: { label: string; articles: number; reviewed: number; confirmed: number; rejected: number; added: number }[];
  reviewedShare: number | null;
  reviewedArticleShare: number | null;
  agreement: { label: string; model: string | null; confirmed: number; rejected: number; precision: number | null }[];
}
