import type { ArticleReader, ClassificationWriter } from '../domain/stored-articles.js';
import type { Classification, Classifier, StoredLabel } from '../domain/types.js';

/** Per label: articles that would gain or lose it under the current framework and model. */
export interface BacktestLabelChange {
  label: string;
  gained: number;
  lost: number;
  examples: { id: string; title: string; change: 'gained' | 'lost'; score: number | null }[];
}

export interface BacktestReport {
  articles: number;
  changed: number;
  skippedNoText: number;
  applied: number;
  framework: string;
  model: string;
  labels: BacktestLabelChange[];
}

export interface BacktestOptions {
  since?: Date;
  /** Write the new classifications (the store keeps the old ones in history). */
  apply?: boolean;
  /** Examples kept per label and direction. */
  examples?: number;
}

/** Labels the classifier gave (reviewer-added labels are not the model's to take away). */
function classifierLabels(labels: readonly StoredLabel[]): Set<string> {
  return new Set(labels.filter((l) => l.source === 'classifier').map((l) => l.id));
}

/**
 * Re-classifies stored articles with the given classifier and reports, per label, what would be gained and
 * lost; with `apply`, writes each changed (or re-versioned) classification through the store.
 */
export async function backtest(store: Pick<ArticleReader, 'streamArticles'> & ClassificationWriter, classifier: Classifier, options: BacktestOptions = {}): Promise<BacktestReport> {
  const keep = options.examples ?? 3;
  const changes = new Map<string, BacktestLabelChange>();
  const change = (label: string): BacktestLabelChange => {
    let c = changes.get(label);
    if (!c) changes.set(label, (c = { label, gained: 0, lost: 0, examples: [] }));
    return c;
  };
  const report: BacktestReport = { articles: 0, changed: 0, skippedNoText: 0, applied: 0, framework: classifier.framework, model: classifier.model, labels: [] };
  const query = options.since ? { since: options.since } : {};
  for await (const record of store.streamArticles(query)) {
    report.articles++;
    if (record.text === null) {
      report.skippedNoText++;
      continue;
    }
    const result: Classification = classifier.classify({ title: record.title, text: record.text, lang: record.lang });
    const before = classifierLabels(record.labels);
    const after = new Set(result.labels.map((l) => l.id));
    let differs = false;
    for (const l of result.labels) {
      if (before.has(l.id)) continue;
      differs = true;
      const c = change(l.id);
      c.gained++;
      if (c.examples.filter((e) => e.change === 'gained').length < keep) c.examples.push({ id: record.id, title: record.title, change: 'gained', score: l.score });
    }
    for (const id of before) {
      if (after.has(id)) continue;
      differs = true;
      const c = change(id);
      c.lost++;
      const old = record.labels.find((l) => l.id === id);
      if (c.examples.filter((e) => e.change === 'lost').length < keep) c.examples.push({ id: record.id, title: record.title, change: 'lost', score: old?.score ?? null });
    }
    if (differs) report.changed++;
    const stale = record.framework !== result.framework || record.model !== result.model;
    if (options.apply && (differs || stale)) {
      await store.replaceClassification(record.id, result, `backtest ${result.framework}/${result.model}`);
      report.applied++;
    }
  }
  report.labels = [...changes.values()].sort((a, b) => a.label.localeCompare(b.label));
  return report;
}
