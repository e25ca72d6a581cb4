import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import { ArticleDetails } from './article-details.js';
import { evidenceId, HighlightedText } from './article-text.js';
import { canonicalSearch } from './filters.js';
import { fullTime, safeHref, score } from './format.js';
import { useKeys } from './keys.js';
import type { LabelStyle } from './labels.js';
import type { ListControls } from './list.js';
import { navigate } from './router.js';
import type { ArticleDetail, ArticleRecord, FeedView, Framework, StoredLabel } from './types.js';

export interface ArticleProps {
  id: string;
  search: string;
  framework: Framework | null;
  feeds: FeedView[];
  controls: ListControls;
  styleOf: (id: string) => LabelStyle;
  reviewer: string;
  setReviewer: (name: string) => void;
  announce: (message: string) => void;
}

type Kind = 'confirm' | 'reject' | 'add';

/** One article: its text with evidence highlighted, the labels with their reasons, and the review controls. */
export function ArticleView({ id, search, framework, feeds, controls, styleOf, reviewer, setReviewer, announce }: ArticleProps) {
  const canonical = canonicalSearch(search);
  const [detail, setDetail] = useState<ArticleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState('');
  const [addChoice, setAddChoice] = useState('');
  // Verdicts are sent one after another, in the order given, however fast the keys come.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => controls.ensure(canonical, feeds), [canonical, feeds, controls]);
  useEffect(() => {
    let live = true;
    setError(null);
    setNote('');
    setAddChoice('');
    api.get<ArticleDetail>(`/api/articles/${encodeURIComponent(id)}`).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        const firstOpen = d.labels.findIndex((l) => l.review === 'unreviewed');
        setSelected(Math.max(0, firstOpen));
        document.title = `${d.title || 'Article'} · framewatch`;
        headingRef.current?.focus();
      },
      (err: Error) => live && setError(err instanceof ApiError && err.status === 404 ? 'This article is not in the store.' : err.message),
    );
    return () => {
      live = false;
    };
  }, [id]);

  const items = controls.list.search === canonical ? controls.list.items : [];
  const index = items.findIndex((a) => a.id === id);
  const open = (article: ArticleRecord | undefined) => article && navigate(`/articles/${encodeURIComponent(article.id)}${canonical}`, { replace: true });

  const move = async (step: 1 | -1) => {
    if (index < 0) {
      announce('This article is not in the current list; press u for the inbox.');
      return;
    }
    if (step === 1 && index + 1 >= items.length) {
      if (!controls.list.nextCursor) return announce('End of the list.');
      const added = await controls.loadMore(feeds);
      return open(added[0]);
    }
    if (step === -1 && index === 0) return announce('Start of the list.');
    open(items[index + step]);
  };

  const send = (kind: Kind, labelId: string) => {
    if (!detail || detail.id !== id) return;
    const state = kind === 'reject' ? 'rejected' : 'confirmed';
    const name = styleOf(labelId).name;
    const body = { [kind]: [labelId], ...(note.trim() ? { note: note.trim() } : {}), ...(reviewer.trim() ? { reviewer: reviewer.trim() } : {}) };
    const optimistic: StoredLabel[] = detail.labels.some((l) => l.id === labelId)
      ? detail.labels.map((l) => (l.id === labelId ? { ...l, review: state } : l))
      : [...detail.labels, { id: labelId, score: 1, groups: [], evidence: [], review: 'confirmed', source: 'reviewer' }];
    setDetail({ ...detail, labels: optimistic });
    const next = optimistic.findIndex((l, i) => i > selected && l.review === 'unreviewed');
    if (kind !== 'add' && next >= 0) setSelected(next);
    const articleId = id;
    queue.current = queue.current.then(async () => {
      try {
        const record = await api.post<ArticleRecord>(`/api/articles/${encodeURIComponent(articleId)}/review`, body);
        controls.replace(record);
        const verdict = { id: `local-${Date.now()}`, label: labelId, verdict: kind, note: body.note ?? null, reviewer: body.reviewer ?? null, model: null, at: new Date().toISOString() };
        setDetail((d) => (d && d.id === articleId ? { ...d, labels: record.labels, needsReview: record.needsReview, reviews: [...d.reviews, verdict] } : d));
        announce(`${kind === 'add' ? 'Added' : kind === 'confirm' ? 'Confirmed' : 'Rejected'}: ${name}`);
      } catch (err) {
        announce(`Not saved (${name}): ${(err as Error).message}`);
        const fresh = await api.get<ArticleDetail>(`/api/articles/${encodeURIComponent(articleId)}`).catch(() => null);
        if (fresh) setDetail((d) => (d && d.id === articleId ? fresh : d));
      }
    });
  };

  const jump = (label: StoredLabel, n = 0) => {
    // Evidence that starts where another label's does shares that label's run, which holds one id: find it by
    // the evidence it names instead.
    const target =
      document.getElementById(evidenceId(label.id, n)) ??
      document.querySelector<HTMLElement>(`.article-text mark[data-evidence~="${CSS.escape(`${label.id}/${n}`)}"]`) ??
      document.getElementById(evidenceId(label.id, n, 'title'));
    if (!target) return announce(`${styleOf(label.id).name} has no evidence in the text.`);
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    target.focus({ preventScroll: true });
  };

  useKeys((key) => {
    if (key === 'j' || key === 'k') {
      void move(key === 'j' ? 1 : -1);
      return true;
    }
    if (key === 'u' || key === 'Escape') {
      navigate(`/${canonical}`);
      return true;
    }
    if (!detail) return false;
    const label = detail.labels[selected];
    if (/^[1-9]$/.test(key)) {
      const n = Number(key) - 1;
      if (detail.labels[n]) {
        setSelected(n);
        document.getElementById(`label-${detail.labels[n].id}`)?.focus();
      }
      return true;
    }
    if ((key === 'c' || key === 'r') && label) {
      send(key === 'c' ? 'confirm' : 'reject', label.id);
      return true;
    }
    if (key === 'e' && label) {
      const marks = document.querySelectorAll(`.article-text mark[id^="ev-${CSS.escape(label.id)}-"]`);
      const current = marks.length ? [...marks].indexOf(document.activeElement as Element) : -1;
      jump(label, marks.length ? (current + 1) % marks.length : 0);
      return true;
    }
    if (key === 'n') {
      document.getElementById('review-note')?.focus();
      return true;
    }
    if (key === 'a') {
      document.getElementById('review-add')?.focus();
      return true;
    }
    if (key === 'o') {
      const href = safeHref(detail.canonicalUrl);
      if (href) window.open(href, '_blank', 'noopener,noreferrer');
      return Boolean(href);
    }
    return false;
  });

  const position = index >= 0 ? `${index + 1} of ${items.length}${controls.list.nextCursor ? '+' : ''}` : null;
  const nav = (
    <nav class="article-nav" aria-label="Article list">
      <a href={`/${canonical}`}>← Inbox</a>
      {position && <span>{position}</span>}
      <span class="nav-buttons">
        <button type="button" onClick={() => void move(-1)} disabled={index <= 0}>
          Previous <kbd>k</kbd>
        </button>
        <button type="button" onClick={() => void move(1)} disabled={index < 0 || (index + 1 >= items.length && !controls.list.nextCursor)}>
          Next <kbd>j</kbd>
        </button>
      </span>
    </nav>
  );

  if (error) {
    return (
      <div class="article">
        {nav}
        <p role="alert" class="error">
          {error}
        </p>
      </div>
    );
  }
  if (!detail || detail.id !== id) {
    return (
      <div class="article">
        {nav}
        <p aria-busy="true">Loading…</p>
      </div>
    );
  }

  const original = safeHref(detail.canonicalUrl);
  const missing = (framework?.labels ?? []).filter((l) => !detail.labels.some((s) => s.id === l.id));
  return (
    <div class="article" data-article-id={detail.id}>
      {nav}
      <header class="article-head">
        <h1 ref={headingRef} tabIndex={-1} lang={detail.lang ?? undefined}>
          <HighlightedText source={detail.title || '(untitled)'} labels={detail.labels} field="title" styleOf={styleOf} />
        </h1>
        <p class="article-meta">
          <span>{detail.sightings.map((s) => s.feedName).join(', ')}</span>
          <time dateTime={detail.publishedAt ?? detail.firstSeenAt}>{fullTime(detail.publishedAt ?? detail.firstSeenAt)}</time>
          {detail.lang && <span>Language: {detail.lang}</span>}
          {detail.byline && <span>By {detail.byline}</span>}
          {original && (
            <a href={original} target="_blank" rel="noopener noreferrer">
              Original article<span class="visually-hidden"> (opens in a new tab)</span> ↗
            </a>
          )}
          {detail.needsReview && <span class="state state-needs">Needs review</span>}
        </p>
      </header>

      <aside class="review-panel" aria-labelledby="labels-heading">
        <h2 id="labels-heading">Labels</h2>
        {detail.labels.length === 0 && <p class="empty">The classifier gave no label.</p>}
        <ol class="label-list">
          {detail.labels.map((label, i) => (
            <LabelItem key={label.id} label={label} n={i + 1} style={styleOf(label.id)} selected={i === selected} onSelect={() => setSelected(i)} onJump={() => jump(label)} onVerdict={(kind) => send(kind, label.id)} />
          ))}
        </ol>
        <div class="review-form">
          <div class="field">
            <label for="review-add">
              Add a label <kbd>a</kbd>
            </label>
            <span class="inline">
              <select id="review-add" value={addChoice} onChange={(e) => setAddChoice(e.currentTarget.value)}>
                <option value="">Choose a label…</option>
                {missing.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                disabled={!addChoice}
                onClick={() => {
                  send('add', addChoice);
                  setAddChoice('');
                }}
              >
                Add
              </button>
            </span>
          </div>
          <div class="field">
            <label for="review-note">
              Note for the next verdicts <kbd>n</kbd>
            </label>
            <textarea id="review-note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="reviewer">Reviewer</label>
            <input id="reviewer" type="text" autoComplete="name" value={reviewer} onChange={(e) => setReviewer(e.currentTarget.value)} />
          </div>
        </div>
      </aside>

      <section class="article-body" aria-label="Article text">
        {detail.text === null ? (
          <p class="empty">The text is no longer kept (retention); labels and evidence remain.</p>
        ) : (
          <div class="article-text" lang={detail.lang ?? undefined}>
            <HighlightedText source={detail.text} labels={detail.labels} field="text" styleOf={styleOf} />
          </div>
        )}
      </section>

      <ArticleDetails detail={detail} styleOf={styleOf} />
    </div>
  );
}

const STATE_TEXT: Record<StoredLabel['review'], string> = { unreviewed: 'Unreviewed', confirmed: 'Confirmed', rejected: 'Rejected' };

function LabelItem({ label, n, style, selected, onSelect, onJump, onVerdict }: { label: StoredLabel; n: number; style: LabelStyle; selected: boolean; onSelect: () => void; onJump: () => void; onVerdict: (kind: Kind) => void }) {
  const terms = [...new Set(label.evidence.flatMap((e) => e.terms))];
  return (
    <li class={`label-item ${style.cls}${selected ? ' selected' : ''}`} aria-current={selected ? 'true' : undefined} data-label={label.id} data-review={label.review} onClick={onSelect}>
      <div class="label-head">
        <span class="key" aria-hidden="true">
          {n <= 9 ? n : ''}
        </span>
        <a
          id={`label-${label.id}`}
          class="label-name"
          href={`#${evidenceId(label.id, 0)}`}
          onClick={(e) => {
            e.preventDefault();
            onJump();
          }}
        >
          <span class="swatch" aria-hidden="true" />
          {style.name}
        </a>
        <span class="label-score" title="Score">
          {score(label.score)}
        </span>
      </div>
      <p class={`review-state review-${label.review}`}>
        {STATE_TEXT[label.review]}
        {label.source === 'reviewer' ? ' (added by a reviewer)' : ''}
      </p>
      <div class="label-actions">
        <button type="button" class="confirm" aria-pressed={label.review === 'confirmed'} onClick={() => onVerdict('confirm')}>
          Confirm{selected && <kbd>c</kbd>}
        </button>
        <button type="button" class="reject" aria-pressed={label.review === 'rejected'} onClick={() => onVerdict('reject')}>
          Reject{selected && <kbd>r</kbd>}
        </button>
      </div>
      <dl class="label-facts">
        {terms.length > 0 && (
          <>
            <dt>Matched terms</dt>
            <dd>{terms.join(', ')}</dd>
          </>
        )}
        {label.features && label.features.length > 0 && (
          <>
            <dt>Top features</dt>
            <dd>{label.features.join(', ')}</dd>
          </>
        )}
        {label.direction && (
          <>
            <dt>Sanctions direction</dt>
            <dd>
              <strong>{label.direction}</strong>
              {(label.directionEvidence ?? []).map((ev, i) => (
                <q key={i} class="direction-evidence">
                  {ev.text}
                </q>
              ))}
            </dd>
          </>
        )}
        <dt>Evidence</dt>
        <dd>{label.evidence.length === 0 ? 'none' : `${label.evidence.length} passage${label.evidence.length === 1 ? '' : 's'}`}</dd>
      </dl>
    </li>
  );
}
