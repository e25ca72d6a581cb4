import { UnrecoverableError, type Worker } from 'bullmq';
import type { ArticleReader } from '../alerts/article-reader.js';
import { enqueueDeliveries } from '../alerts/enqueue-deliveries.js';
import type { FeedHealthAlertEvents } from '../alerts/feed-health-event.js';
import { evaluateArticleAlerts, evaluateFeedHealthAlerts, flushDigest, type AlertDeps, type AlertEvaluation } from '../pipeline/alert.js';
import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface AlertWorkerDeps extends StageWorkerBase {
  queues: QueueClient;
  alert: AlertDeps;
  articles: Pick<ArticleReader, 'getArticle'>;
  /** Absent: feed-health jobs fail for good with a clear message (no event source wired). */
  feedHealth?: FeedHealthAlertEvents;
  /** Attempts per delivery job: attemptsFor(settings.alerts.retrySchedule). */
  deliveryAttempts: number;
}

/**
 * alert: article id (or feed health event, or digest window) → rule decisions → delivery jobs. Runs again
 * safely: decisions are stored and delivery ids derived from (endpoint, event).
 */
export function createAlertWorker(deps: AlertWorkerDeps): Worker {
  return createStageWorker({
    queue: 'alert',
    ...baseOf(deps),
    handle: async (payload) => {
      let result: AlertEvaluation;
      let subject: Record<string, unknown>;
      switch (payload.kind) {
        case 'article': {
          subject = { articleId: payload.articleId };
          const article = await deps.articles.getArticle(payload.articleId);
          if (!article) return { ...subject, skipped: 'article not stored' };
          result = await evaluateArticleAlerts(article, deps.alert);
          break;
        }
        case 'feed-health': {
          subject = { feedId: payload.feedId, eventId: payload.eventId };
          // A wiring gap, not a passing fault: retrying cannot help.
          if (!deps.feedHealth) throw new UnrecoverableError('no feed health event source is wired into the alert stage');
          const event = await deps.feedHealth.getEvent(payload.eventId);
          if (!event) return { ...subject, skipped: 'feed health event not found' };
          result = await evaluateFeedHealthAlerts(event, deps.alert);
          break;
        }
        case 'digest':
          subject = { ruleId: payload.ruleId, windowStart: payload.windowStart };
          result = await flushDigest(payload.ruleId, payload.windowStart, deps.alert);
          break;
      }
      for (const d of result.digests) {
        const delay = Math.max(0, Date.parse(d.dueAt) - Date.now());
        await deps.queues.add('alert', { kind: 'digest', ruleId: d.ruleId, windowStart: d.windowStart }, { jobId: jobIds.alertDigest(d.ruleId, d.windowStart), delay });
      }
      await enqueueDeliveries(deps.queues, result.deliveries, { attempts: deps.deliveryAttempts });
      return { ...subject, matched: result.matched, decisions: result.decisions.map((d) => `${d.ruleId}:${d.outcome}`), deliveries: result.deliveries.length };
    },
  });
}
