import type { ArticleWork, Classification, Clock, ExtractedArticle } from '../domain/types.js';
import type { Enqueue } from '../queues/definitions.js';
import type { WorkStore } from '../queues/work-store.js';
import { classifyWork, enqueueClassify, enqueueStore, type ClassifyJobDeps } from './classify.js';
import { enqueueAlert, storeAndHandOn, type AlertHandOn, type StoreJobDeps } from './store.js';

/**
 * What a process that runs the classify and store stages beside extract (and, if it has it, alert) gives the
 * extract stage, so that an article it extracted goes on in the same job: up to three queue hand-overs fewer
 * per article (each one a job added, taken, locked and finished in Redis, and the working document read
 * back), which was most of what the queue cost (issue 20). A process that only extracts has none and hands
 * every article to classify.
 */
export interface InlineFollowOn {
  classifier: ClassifyJobDeps['classifier'];
  articles: StoreJobDeps['articles'];
  /** The alert job for a stored article, when this process runs alert too; absent, its job is enqueued. */
  alert?: (articleId: string) => Promise<Record<string, unknown>>;
  /** Told of a step handed to its queue because it failed here, with the error (for the log). */
  onHandOver?: (step: FollowOnStep, articleId: string, err: unknown) => void;
}

export type FollowOnStep = 'classify' | 'store' | 'alert';

export interface FollowOnDeps {
  work: WorkStore;
  enqueue: Enqueue;
  clock: Clock;
  inline: InlineFollowOn;
}

export interface FollowOnResult {
  /** Set when the article was classified here (the caller counts its labels). */
  classification?: Classification;
  /** The job's log fields; `handedOver` names a step that failed here and went to its queue. */
  fields: Record<string, unknown>;
}

/**
 * Classifies and stores an article just extracted, as the classify and store jobs would, then runs or
 * enqueues its alert job. A step that fails here is not retried here and not lost: its job goes to its
 * queue (with the id it would have had), so a database outage holds the store queue as before while
 * extraction goes on, and a killed worker leaves the extract job to BullMQ's stalled-job recovery, which
 * runs it again (every step is idempotent). `work` is the working document as extraction left it (its
 * trace ending with the extract step).
 */
export async function classifyAndStoreInline(work: ArticleWork, extracted: ExtractedArticle, deps: FollowOnDeps): Promise<FollowOnResult> {
  const articleId = work.id;
  let classified: ReturnType<typeof classifyWork>;
  try {
    classified = classifyWork({ id: articleId, item: work.item, extracted, sightings: work.sightings.length }, { clock: deps.clock, classifier: deps.inline.classifier });
  } catch (err) {
    deps.inline.onHandOver?.('classify', articleId, err);
    await enqueueClassify(deps.enqueue, articleId, extracted.text);
    return { fields: { articleId, handedOver: 'classify' } };
  }
  const { classification, trace, storeRevision } = classified;
  await deps.work.setClassification(articleId, classification, trace);
  const classifiedWork: ArticleWork = { ...work, extracted, classification, trace: [...work.trace, trace] };
  try {
    const stored = await storeAndHandOn(classifiedWork, { articles: deps.inline.articles, clock: deps.clock, enqueue: deps.enqueue }, alertHandOn(deps));
    return { classification, fields: { ...classified.fields, ...stored } };
  } catch (err) {
    deps.inline.onHandOver?.('store', articleId, err);
    await enqueueStore(deps.enqueue, articleId, storeRevision);
    return { classification, fields: { ...classified.fields, handedOver: 'store' } };
  }
}

/**
 * Runs the alert job here when this process has one; a failure hands the article to the alert queue with
 * the id the store job would have given it (the rule decisions are idempotent, so a partial run is safe).
 */
function alertHandOn(deps: FollowOnDeps): AlertHandOn | undefined {
  const alert = deps.inline.alert;
  if (!alert) return undefined;
  return async (articleId, revision) => {
    try {
      const { articleId: _id, ...fields } = await alert(articleId);
      return { alert: fields };
    } catch (err) {
      deps.inline.onHandOver?.('alert', articleId, err);
      await enqueueAlert(deps.enqueue, articleId, revision);
      return { handedOver: 'alert' };
    }
  };
}
