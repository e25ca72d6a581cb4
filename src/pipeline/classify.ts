import type { ArticleWork, Classification, Classifier, Clock, ExtractedArticle, TraceEntry } from '../domain/types.js';
import { primaryLanguage } from '../classifiers/text/lang.js';
import { shortHash } from '../lib/short-hash.js';
import { jobIds, type Enqueue } from '../queues/definitions.js';
import type { WorkStore } from '../queues/work-store.js';
import { PermanentStageError } from './stage-error.js';

/**
 * The classify stage: tags an article's title and text against the framework. The classifier comes from
 * `loadClassifier` (src/classifiers/load-classifier.ts) once per process; the result carries the framework
 * and model versions.
 */
export function classifyArticle(input: { title: string; text: string; lang?: string | null }, classifier: Classifier): Classification {
  return classifier.classify({ title: input.title, text: input.text, lang: input.lang ?? null });
}

/**
 * The language the page itself declared: the extractor's own guess (flag `lang-detected`, tinyld alone) is
 * not a declaration, and the classifier detects better (it checks uk/ru letters and function words).
 */
export function declaredLanguage(extracted: Pick<ExtractedArticle, 'lang' | 'flags'>): string | null {
  return extracted.flags.includes('lang-detected') ? null : extracted.lang;
}

/**
 * The classify step of an article's trace: the language it was read in, and why it was skipped when its
 * language is not one the framework covers (the desk and the API show the reason).
 */
export function classifyTrace(classification: Classification, declared: string | null, at: string, durationMs: number): TraceEntry {
  const entry: TraceEntry = { stage: 'classify', at, durationMs, outcome: classification.unsupported ? 'skipped' : 'ok' };
  if (classification.lang !== undefined) entry.lang = classification.lang;
  if (classification.unsupported) entry.reason = classification.unsupported.reason;
  else if (classification.lang && declared && primaryLanguage(declared) !== classification.lang) {
    entry.reason = `read as ${classification.lang}; the page declared ${declared}`;
  }
  return entry;
}

export interface ClassifyJobDeps {
  work: WorkStore;
  enqueue: Enqueue;
  clock: Clock;
  classifier: () => Classifier;
}

/** What classifying one article gives: its labels, the trace step, the store job's revision and the log fields. */
export interface ClassifiedWork {
  classification: Classification;
  trace: TraceEntry;
  /** Keyed by what the stored record would change (labels, versions, text, feeds): a repeat is one store job. */
  storeRevision: string;
  fields: Record<string, unknown>;
}

/** Classifies a working document's extracted text (no I/O): what the classify job and the inline path share. */
export function classifyWork(
  work: { id: string; item: Pick<ArticleWork['item'], 'title'>; extracted: Pick<ExtractedArticle, 'title' | 'text' | 'lang' | 'flags'>; sightings: number },
  deps: Pick<ClassifyJobDeps, 'clock' | 'classifier'>,
): ClassifiedWork {
  const started = deps.clock.now();
  const declared = declaredLanguage(work.extracted);
  const classification = classifyArticle({ title: work.extracted.title ?? work.item.title, text: work.extracted.text, lang: declared }, deps.classifier());
  const trace = classifyTrace(classification, declared, started.toISOString(), deps.clock.now().getTime() - started.getTime());
  const storeRevision = shortHash({ labels: classification.labels, model: classification.model, framework: classification.framework, text: work.extracted.text, sightings: work.sightings });
  const fields: Record<string, unknown> = { articleId: work.id, labels: classification.labels.map((l) => l.id), relevance: classification.relevance, lang: classification.lang ?? null };
  if (classification.unsupported) fields['unsupported'] = classification.unsupported.reason;
  return { classification, trace, storeRevision, fields };
}

/** Hands an extracted article to classify. Keyed by the text: a republished edit that changes it is classified again, a repeat is not. */
export function enqueueClassify(enqueue: Enqueue, articleId: string, text: string): Promise<void> {
  return enqueue('classify', { articleId }, { jobId: jobIds.classify(articleId, shortHash(text)) });
}

/** Hands a classified article to store, keyed by {@link ClassifiedWork.storeRevision}. */
export function enqueueStore(enqueue: Enqueue, articleId: string, storeRevision: string): Promise<void> {
  return enqueue('store', { articleId }, { jobId: jobIds.store(articleId, storeRevision) });
}

/**
 * The classify stage for one job: article id → labels with evidence on the working document → store. The
 * store job is keyed by what the record would change (labels, versions, text, feeds), so a repeat is one job.
 */
export async function runClassifyJob(articleId: string, deps: ClassifyJobDeps): Promise<{ classification: Classification; fields: Record<string, unknown> }> {
  // The text only: classify never needs the page's HTML or the trace.
  const work = await deps.work.getText(articleId);
  if (!work) throw new PermanentStageError(`article ${articleId} has no working document (expired)`);
  const { extracted } = work;
  if (!extracted) throw new PermanentStageError(`article ${articleId} reached classify without extracted text`);
  const { classification, trace, storeRevision, fields } = classifyWork({ ...work, extracted }, deps);
  await deps.work.setClassification(articleId, classification, trace);
  await enqueueStore(deps.enqueue, articleId, storeRevision);
  return { classification, fields };
}
