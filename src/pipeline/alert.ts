import type { AlertRule } from '../config/alerts-schema.js';
import type { ArticleReader } from '../domain/stored-articles.js';
import type { ArticleRecord, Clock } from '../domain/types.js';
import { createDeliveries } from '../alerts/delivery-factory.js';
import type { FeedHealthAlertEvent, FeedHealthAlertEvents } from '../alerts/feed-health-event.js';
import { articleMatchedEvent, articleUpdatedEvent, digestEvent, feedHealthWebhookEvent, summarizeArticle, type ArticleSummary } from '../alerts/payload.js';
import { explainFeedHealthRule, explainRule, noFeedTags, type CompiledRule, type MatchContext } from '../alerts/rule-matcher.js';
import type { AlertRuleSet } from '../alerts/rule-set.js';
import { signatureSimilarity, storySignature } from '../alerts/story-fingerprint.js';
import { jobIds, type Enqueue, type QueuePayload } from '../queues/definitions.js';
import type { AlertStorage } from '../store/alert-storage.js';
import type { MatchOutcome, StoryCandidate } from '../store/delivery-ledger.js';
import { enqueueDeliveries } from './deliver.js';
import { PermanentStageError } from './stage-error.js';

export { explainRule, explainFeedHealthRule, type RuleExplanation } from '../alerts/rule-matcher.js';

/** What the alert stage reads and writes. */
export interface AlertDeps {
  /** The ledger and deliveries (src/store/alert-storage.ts); each decision runs in one of its transactions. */
  storage: AlertStorage;
  /** The rule set in force (swapped whole on reload); read once per evaluation. */
  rules: () => AlertRuleSet;
  clock: Clock;
  /** Base URL of the API, for the links in payloads. */
  publicUrl: string;
  match?: MatchContext;
}

/** A digest window with at least one match: flush it at `dueAt` (handOnAlerts queues a delayed job). */
export interface DigestDue {
  ruleId: string;
  windowStart: string;
  dueAt: string;
}

export interface AlertEvaluation {
  /** Rules whose conditions the event met. */
  matched: string[];
  /** Pending deliveries to enqueue (ids are stable: enqueueing twice runs once). */
  deliveries: string[];
  /** What each matched rule did: sent, updated, duplicate, throttled or digested. */
  decisions: { ruleId: string; outcome: MatchOutcome; storyOf?: string }[];
  digests: DigestDue[];
}

const ALERTED: MatchOutcome[] = ['sent', 'updated', 'duplicate', 'digested'];

/**
 * Runs every article rule over a stored article. Each matching rule decides, under its own lock, whether
 * this is a new story (alert), a copy of one already alerted on (nothing, or `article.updated`), over the
 * throttle, or part of a digest; then one delivery per (endpoint, event) is created with a deterministic id.
 * Re-evaluating an article finds the rule's earlier decision and creates nothing new.
 */
export async function evaluateArticleAlerts(article: ArticleRecord, deps: AlertDeps): Promise<AlertEvaluation> {
  const set = deps.rules();
  const out: AlertEvaluation = { matched: [], deliveries: [], decisions: [], digests: [] };
  for (const compiled of set.rules) {
    const explanation = explainRule(compiled, article, deps.match ?? noFeedTags);
    if (!explanation.matched) continue;
    out.matched.push(compiled.rule.id);
    const decision = await deps.storage.transaction(async (tx) => {
      await tx.ledger.lockRule(compiled.rule.id);
      return decideArticle(tx, compiled, article, explanation.matchedLabels, deps);
    });
    out.decisions.push({ ruleId: compiled.rule.id, outcome: decision.outcome, ...(decision.storyOf ? { storyOf: decision.storyOf } : {}) });
    out.deliveries.push(...decision.deliveries);
    if (decision.digest) out.digests.push(decision.digest);
  }
  return out;
}

interface Decision {
  outcome: MatchOutcome;
  deliveries: string[];
  storyOf?: string;
  digest?: DigestDue;
}

async function decideArticle(tx: AlertStorage, compiled: CompiledRule, article: ArticleRecord, labelIds: string[], deps: AlertDeps): Promise<Decision> {
  const { rule } = compiled;
  const { ledger } = tx;
  const now = deps.clock.now();
  const summary = summarizeArticle(article, labelIds.length > 0 ? labelIds : undefined);

  const earlier = await ledger.get(rule.id, article.id);
  if (earlier) {
    // Decided before (a re-evaluation, a replay, a label change): same deliveries, nothing new.
    if (earlier.outcome === 'sent') return { outcome: 'sent', deliveries: await sendMatched(tx, rule, summary, deps, now) };
    if (earlier.outcome === 'updated' && earlier.storyOf) {
      return { outcome: 'updated', storyOf: earlier.storyOf, deliveries: await sendUpdated(tx, rule, summary, earlier.storyOf, 1, deps, now) };
    }
    return { outcome: earlier.outcome, deliveries: [], ...(earlier.storyOf ? { storyOf: earlier.storyOf } : {}) };
  }

  const fingerprint = storySignature(article.title, article.text ?? article.summary);
  const base = { ruleId: rule.id, eventKey: article.id, kind: 'article' as const, articleId: article.id, fingerprint, summary, matchedAt: now };

  if (rule.dedupe.enabled) {
    const story = await findStory(ledger, rule, article.id, fingerprint, now);
    if (story) {
      const update = rule.dedupe.mode === 'update' && !rule.digest;
      const outcome: MatchOutcome = update ? 'updated' : 'duplicate';
      await ledger.insert({ ...base, outcome, storyOf: story.root, digestWindow: null });
      const deliveries = update ? await sendUpdated(tx, rule, summary, story.root, story.similarity, deps, now) : [];
      return { outcome, storyOf: story.root, deliveries };
    }
  }
  if (rule.throttle) {
    const sent = await ledger.countSent(rule.id, new Date(now.getTime() - rule.throttle.window));
    if (sent >= rule.throttle.max) {
      await ledger.insert({ ...base, outcome: 'throttled', storyOf: null, digestWindow: null });
      return { outcome: 'throttled', deliveries: [] };
    }
  }
  if (rule.digest) {
    const start = Math.floor(now.getTime() / rule.digest.window) * rule.digest.window;
    await ledger.insert({ ...base, outcome: 'digested', storyOf: null, digestWindow: new Date(start) });
    return {
      outcome: 'digested',
      deliveries: [],
      digest: { ruleId: rule.id, windowStart: new Date(start).toISOString(), dueAt: new Date(start + rule.digest.window).toISOString() },
    };
  }
  await ledger.insert({ ...base, outcome: 'sent', storyOf: null, digestWindow: null });
  return { outcome: 'sent', deliveries: await sendMatched(tx, rule, summary, deps, now) };
}

/** The closest earlier story of this rule within the dedupe window, if similar enough. */
async function findStory(
  ledger: AlertStorage['ledger'],
  rule: AlertRule,
  articleId: string,
  fingerprint: number[],
  now: Date,
): Promise<{ root: string; similarity: number } | null> {
  const candidates = await ledger.recentStories(rule.id, new Date(now.getTime() - rule.dedupe.window));
  let best: { match: StoryCandidate; similarity: number } | null = null;
  for (const c of candidates) {
    if (c.articleId === articleId || !ALERTED.includes(c.outcome)) continue;
    const similarity = signatureSimilarity(fingerprint, c.fingerprint);
    if (similarity >= rule.dedupe.threshold && (!best || similarity > best.similarity)) best = { match: c, similarity };
  }
  if (!best) return null;
  return { root: best.match.storyOf ?? best.match.articleId, similarity: best.similarity };
}

function sendMatched(tx: AlertStorage, rule: AlertRule, summary: ArticleSummary, deps: AlertDeps, now: Date): Promise<string[]> {
  const event = articleMatchedEvent({ ruleId: rule.id, article: summary, publicUrl: deps.publicUrl, at: now });
  return createDeliveries(tx.deliveries, { endpointIds: rule.endpoints, ruleId: rule.id, event, eventKey: summary.id, articleId: summary.id }, deps.clock);
}

async function sendUpdated(tx: AlertStorage, rule: AlertRule, summary: ArticleSummary, root: string, similarity: number, deps: AlertDeps, now: Date): Promise<string[]> {
  const members = await tx.ledger.storyMembers(rule.id, root);
  const alsoReportedBy = members.filter((m) => m.articleId !== summary.id && m.summary).map((m) => m.summary as ArticleSummary);
  const event = articleUpdatedEvent({ ruleId: rule.id, article: summary, storyOf: root, alsoReportedBy, similarity, publicUrl: deps.publicUrl, at: now });
  return createDeliveries(tx.deliveries, { endpointIds: rule.endpoints, ruleId: rule.id, event, eventKey: summary.id, articleId: summary.id }, deps.clock);
}

/**
 * Sends one digest for a rule's window (the delayed job scheduled when the window's first match came in).
 * Idempotent: a second flush of the same window finds the same delivery ids.
 */
export async function flushDigest(ruleId: string, windowStart: string, deps: AlertDeps): Promise<AlertEvaluation> {
  const compiled = deps.rules().rules.find((r) => r.rule.id === ruleId);
  const out: AlertEvaluation = { matched: [], deliveries: [], decisions: [], digests: [] };
  if (!compiled?.rule.digest) return out;
  const rule = compiled.rule;
  const windowMs = rule.digest?.window ?? 0;
  const start = new Date(windowStart);
  const deliveries = await deps.storage.transaction(async (tx) => {
    await tx.ledger.lockRule(rule.id);
    const { ledger } = tx;
    const items = await ledger.digestItems(rule.id, start);
    if (items.length === 0) return [];
    const key = `digest-${start.getTime()}`;
    const now = deps.clock.now();
    if (!(await ledger.get(rule.id, key))) {
      await ledger.insert({ ruleId: rule.id, eventKey: key, kind: 'digest', articleId: null, outcome: 'sent', storyOf: null, fingerprint: null, summary: null, matchedAt: now, digestWindow: start });
    }
    const event = digestEvent({
      ruleId: rule.id,
      windowStart: start,
      windowEnd: new Date(start.getTime() + windowMs),
      articles: items.map((i) => i.summary as ArticleSummary),
      publicUrl: deps.publicUrl,
      at: now,
    });
    return createDeliveries(tx.deliveries, { endpointIds: rule.endpoints, ruleId: rule.id, event, eventKey: key, articleId: null }, deps.clock);
  });
  out.matched.push(rule.id);
  out.deliveries.push(...deliveries);
  out.decisions.push({ ruleId: rule.id, outcome: 'sent' });
  return out;
}

/** Runs the `feed.health` rules over one health change of a feed (throttles apply; no dedupe or digest). */
export async function evaluateFeedHealthAlerts(event: FeedHealthAlertEvent, deps: AlertDeps): Promise<AlertEvaluation> {
  const out: AlertEvaluation = { matched: [], deliveries: [], decisions: [], digests: [] };
  for (const compiled of deps.rules().rules) {
    if (!explainFeedHealthRule(compiled, event, deps.match ?? noFeedTags).matched) continue;
    const rule = compiled.rule;
    out.matched.push(rule.id);
    const decision = await deps.storage.transaction(async (tx): Promise<Decision> => {
      await tx.ledger.lockRule(rule.id);
      const { ledger } = tx;
      const now = deps.clock.now();
      const earlier = await ledger.get(rule.id, event.id);
      if (!earlier) {
        const throttled = rule.throttle ? (await ledger.countSent(rule.id, new Date(now.getTime() - rule.throttle.window))) >= rule.throttle.max : false;
        const outcome: MatchOutcome = throttled ? 'throttled' : 'sent';
        await ledger.insert({ ruleId: rule.id, eventKey: event.id, kind: 'feed-health', articleId: null, outcome, storyOf: null, fingerprint: null, summary: event, matchedAt: now, digestWindow: null });
        if (throttled) return { outcome, deliveries: [] };
      } else if (earlier.outcome !== 'sent') {
        return { outcome: earlier.outcome, deliveries: [] };
      }
      const payload = feedHealthWebhookEvent({ ruleId: rule.id, event, publicUrl: deps.publicUrl });
      return { outcome: 'sent', deliveries: await createDeliveries(tx.deliveries, { endpointIds: rule.endpoints, ruleId: rule.id, event: payload, eventKey: event.id, articleId: null }, deps.clock) };
    });
    out.decisions.push({ ruleId: rule.id, outcome: decision.outcome });
    out.deliveries.push(...decision.deliveries);
  }
  return out;
}

/** Where the alert stage hands its results on: delivery jobs, and a delayed flush per digest window. */
export interface AlertHandOnDeps {
  enqueue: Enqueue;
  clock: Clock;
  /** Attempts per delivery job: attemptsFor(settings.alerts.retrySchedule). */
  deliveryAttempts: number;
}

/**
 * Queues what an evaluation produced: one flush job per digest window, due at the window's end (on the
 * stage's clock), and one deliver job per pending delivery. Ids are stable, so handing on twice is harmless.
 */
export async function handOnAlerts(result: Pick<AlertEvaluation, 'deliveries' | 'digests'>, deps: AlertHandOnDeps): Promise<void> {
  for (const d of result.digests) {
    const delay = Math.max(0, Date.parse(d.dueAt) - deps.clock.now().getTime());
    await deps.enqueue('alert', { kind: 'digest', ruleId: d.ruleId, windowStart: d.windowStart }, { jobId: jobIds.alertDigest(d.ruleId, d.windowStart), delay });
  }
  await enqueueDeliveries(deps.enqueue, result.deliveries, { attempts: deps.deliveryAttempts });
}

export interface AlertJobDeps extends AlertDeps, AlertHandOnDeps {
  articles: Pick<ArticleReader, 'getArticle'>;
  /** Absent: feed-health jobs fail for good with a clear message (no event source wired). */
  feedHealth?: FeedHealthAlertEvents;
}

/**
 * The alert stage for one job: an article id, a feed health event or a digest window → rule decisions →
 * delivery jobs (and digest flushes). Runs again safely: decisions are stored and delivery ids derived from
 * (endpoint, event). Returns the job's log fields.
 */
export async function runAlertJob(payload: QueuePayload<'alert'>, deps: AlertJobDeps): Promise<Record<string, unknown>> {
  let result: AlertEvaluation;
  let subject: Record<string, unknown>;
  switch (payload.kind) {
    case 'article': {
      subject = { articleId: payload.articleId };
      const article = await deps.articles.getArticle(payload.articleId, { html: false });
      if (!article) return { ...subject, skipped: 'article not stored' };
      result = await evaluateArticleAlerts(article, deps);
      break;
    }
    case 'feed-health': {
      subject = { feedId: payload.feedId, eventId: payload.eventId };
      // A wiring gap, not a passing fault: retrying cannot help.
      if (!deps.feedHealth) throw new PermanentStageError('no feed health event source is wired into the alert stage');
      const event = await deps.feedHealth.getEvent(payload.eventId);
      if (!event) return { ...subject, skipped: 'feed health event not found' };
      result = await evaluateFeedHealthAlerts(event, deps);
      break;
    }
    case 'digest':
      subject = { ruleId: payload.ruleId, windowStart: payload.windowStart };
      result = await flushDigest(payload.ruleId, payload.windowStart, deps);
      break;
  }
  await handOnAlerts(result, deps);
  return { ...subject, matched: result.matched, decisions: result.decisions.map((d) => `${d.ruleId}:${d.outcome}`), deliveries: result.deliveries.length };
}
