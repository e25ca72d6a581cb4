import type { ArticleReader, VerdictReader } from '../domain/stored-articles.js';
import type { LabelledExample } from './dataset.js';

/**
 * Reviewed articles as training examples: every article with at least one verdict, labelled with the labels
 * it carries that a reviewer did not reject (confirmed, added, or left as the classifier gave them after a
 * reviewer looked at the article). Articles whose text retention dropped are skipped.
 */
export async function reviewedExamples(store: Pick<ArticleReader, 'getArticle'> & VerdictReader, options: { since?: Date } = {}): Promise<LabelledExample[]> {
  const verdicts = await store.latestVerdicts(options);
  const ids = [...new Set(verdicts.map((v) => v.articleId))];
  const out: LabelledExample[] = [];
  for (const id of ids) {
    const record = await store.getArticle(id);
    if (!record || record.text === null) continue;
    out.push({
      id: `review:${id}`,
      title: record.title,
      text: record.text,
      labels: record.labels.filter((l) => l.review !== 'rejected').map((l) => l.id),
      source: record.canonicalUrl,
      license: 'reviewed article (training use only; not redistributed)',
    });
  }
  return out;
}
