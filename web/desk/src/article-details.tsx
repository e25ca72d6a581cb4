import { fullTime, hostOf, percent, safeHref, score } from './format.js';
import type { LabelStyle } from './labels.js';
import type { ArticleDetail } from './types.js';

/** Where the article came from and what happened to it: extraction, feeds, stage trace, history, verdicts. */
export function ArticleDetails({ detail, styleOf }: { detail: ArticleDetail; styleOf: (id: string) => LabelStyle }) {
  const ex = detail.extraction;
  return (
    <section class="article-details" aria-labelledby="details-heading">
      <h2 id="details-heading">Provenance</h2>
      <dl class="facts">
        <dt>Extraction</dt>
        <dd>
          {ex ? (
            <>
              {ex.method}, confidence {percent(ex.confidence)}
              {ex.flags.length > 0 && <> · flags: {ex.flags.join(', ')}</>}
              {ex.fallbackReason && <> · fell back because: {ex.fallbackReason}</>}
            </>
          ) : (
            'not extracted'
          )}
        </dd>
        <dt>Relevance</dt>
        <dd>{detail.relevance === null ? '—' : score(detail.relevance)}</dd>
        <dt>Published</dt>
        <dd>{fullTime(detail.publishedAt)}</dd>
        <dt>First seen</dt>
        <dd>{fullTime(detail.firstSeenAt)}</dd>
        <dt>Framework · model</dt>
        <dd>
          <code>{detail.framework ?? '—'}</code> · <code>{detail.model ?? '—'}</code>
        </dd>
      </dl>

      <h3>Feeds</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Feed</th>
              <th scope="col">Link in the feed</th>
              <th scope="col">Seen</th>
            </tr>
          </thead>
          <tbody>
            {detail.sightings.map((s) => {
              const href = safeHref(s.link);
              return (
                <tr key={s.feedId}>
                  <td>{s.feedName}</td>
                  <td>
                    {href ? (
                      <a href={href} target="_blank" rel="noopener noreferrer">
                        {hostOf(href)}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{fullTime(s.seenAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3>Stage trace</h3>
      <div class="table-wrap">
        <table class="trace">
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Outcome</th>
              <th scope="col">Took</th>
              <th scope="col">At</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {detail.trace.map((t, i) => (
              <tr key={i}>
                <td>{t.stage}</td>
                <td>{t.outcome}</td>
                <td>{Math.round(t.durationMs)} ms</td>
                <td>{fullTime(t.at)}</td>
                <td>{t.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>Classification history</h3>
      {detail.history.length === 0 ? (
        <p class="empty">Classified once; no earlier labels.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Replaced</th>
                <th scope="col">Reason</th>
                <th scope="col">Model</th>
                <th scope="col">Labels then</th>
              </tr>
            </thead>
            <tbody>
              {detail.history.map((h, i) => (
                <tr key={i}>
                  <td>{fullTime(h.replacedAt)}</td>
                  <td>{h.reason}</td>
                  <td>
                    <code>{h.model ?? '—'}</code>
                  </td>
                  <td>{historyLabels(h.labels, styleOf)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>Verdicts</h3>
      {detail.reviews.length === 0 ? (
        <p class="empty">No verdicts yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="verdicts">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Label</th>
                <th scope="col">Verdict</th>
                <th scope="col">Reviewer</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {detail.reviews.map((v) => (
                <tr key={v.id} data-label={v.label} data-verdict={v.verdict}>
                  <td>{fullTime(v.at)}</td>
                  <td>{styleOf(v.label).name}</td>
                  <td>{v.verdict}</td>
                  <td>{v.reviewer ?? '—'}</td>
                  <td>{v.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function historyLabels(labels: unknown[], styleOf: (id: string) => LabelStyle): string {
  return (
    labels
      .map((l) => {
        const label = l as { id?: unknown; score?: unknown };
        if (typeof label.id !== 'string') return null;
        return typeof label.score === 'number' ? `${styleOf(label.id).name} ${score(label.score)}` : styleOf(label.id).name;
      })
      .filter(Boolean)
      .join(', ') || 'none'
  );
}
