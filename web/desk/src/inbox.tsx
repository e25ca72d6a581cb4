import { useEffect, useRef } from 'preact/hooks';
import { canonicalSearch, withFilter, type FilterKey } from './filters.js';
import { shortTime, score } from './format.js';
import { useKeys } from './keys.js';
import type { LabelStyle } from './labels.js';
import type { ListControls } from './list.js';
import { navigate } from './router.js';
import type { ArticleRecord, FeedView, Framework, StoredLabel } from './types.js';

export interface InboxProps {
  search: string;
  framework: Framework | null;
  feeds: FeedView[];
  controls: ListControls;
  styleOf: (id: string) => LabelStyle;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** Tagged articles, newest first, with the filters in the URL and keyset paging ("Show more"). */
export function Inbox({ search, framework, feeds, controls, styleOf, selectedId, onSelect }: InboxProps) {
  const { list } = controls;
  const canonical = canonicalSearch(search);
  useEffect(() => controls.ensure(canonical, feeds), [canonical, feeds, controls]);
  const listRef = useRef<HTMLOListElement>(null);

  const items = list.search === canonical ? list.items : [];
  // -1 until a row is chosen: the first j chooses the first row, Enter opens the first row.
  const selectedIndex = items.findIndex((a) => a.id === selectedId);

  const select = (index: number) => {
    const article = items[index];
    if (!article) return;
    onSelect(article.id);
    const row = listRef.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(article.id)}"] a`);
    row?.focus();
  };

  useKeys((key, event) => {
    // Enter on a button or another link keeps its own meaning.
    if (key === 'Enter' && event.target instanceof Element && event.target.closest('button, summary, a:not(.row-title)')) return false;
    if (key === 'j') {
      if (selectedIndex + 1 < items.length) select(selectedIndex + 1);
      else if (list.nextCursor) void controls.loadMore(feeds).then((added) => added[0] && onSelect(added[0].id));
      return true;
    }
    if (key === 'k') {
      select(Math.max(0, selectedIndex - 1));
      return true;
    }
    if (key === 'Enter' || key === 'o') {
      const article = items[Math.max(0, selectedIndex)];
      if (article) navigate(`/articles/${encodeURIComponent(article.id)}${canonical}`);
      return Boolean(article);
    }
    if (key === '/') {
      document.getElementById('f-q')?.focus();
      return true;
    }
    return false;
  });

  const set = (key: FilterKey, value: string | null) => navigate(`/${withFilter(canonical, key, value)}`, { replace: true });

  return (
    <div class="inbox">
      <h1 class="visually-hidden">Inbox</h1>
      <Filters search={canonical} framework={framework} feeds={feeds} set={set} />
      <section aria-labelledby="results-heading" class="results">
        <div class="results-head">
          <h2 id="results-heading">
            {list.loading && items.length === 0 ? 'Loading…' : `${items.length}${list.nextCursor ? '+' : ''} article${items.length === 1 ? '' : 's'}`}
          </h2>
          <p class="hint">
            <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> open, <kbd>?</kbd> all keys
          </p>
        </div>
        {list.error && (
          <p role="alert" class="error">
            Could not load articles: {list.error}
          </p>
        )}
        {list.loaded && items.length === 0 && !list.error && <p class="empty">No articles match these filters.</p>}
        <ol class="rows" ref={listRef}>
          {items.map((article, index) => (
            <Row key={article.id} article={article} href={`/articles/${encodeURIComponent(article.id)}${canonical}`} selected={index === selectedIndex} styleOf={styleOf} onFocus={() => onSelect(article.id)} />
          ))}
        </ol>
        {list.nextCursor && (
          <button type="button" class="more" disabled={list.loading} onClick={() => void controls.loadMore(feeds)}>
            {list.loading ? 'Loading…' : 'Show more'}
          </button>
        )}
      </section>
    </div>
  );
}

function reviewSummary(article: ArticleRecord): { text: string; cls: string } {
  const states = article.labels.map((l) => l.review);
  if (article.needsReview) return { text: 'Needs review', cls: 'state-needs' };
  if (states.length === 0) return { text: 'No labels', cls: 'state-none' };
  if (states.every((s) => s !== 'unreviewed')) return { text: 'Reviewed', cls: 'state-done' };
  if (states.some((s) => s !== 'unreviewed')) return { text: 'Partly reviewed', cls: 'state-part' };
  return { text: 'Unreviewed', cls: 'state-open' };
}

function Row({ article, href, selected, styleOf, onFocus }: { article: ArticleRecord; href: string; selected: boolean; styleOf: (id: string) => LabelStyle; onFocus: () => void }) {
  const review = reviewSummary(article);
  const feeds = [...new Set(article.sightings.map((s) => s.feedName))];
  const time = article.publishedAt ?? article.firstSeenAt;
  return (
    <li class={selected ? 'row selected' : 'row'} data-id={article.id} aria-current={selected ? 'true' : undefined}>
      <a class="row-title" href={href} onFocus={onFocus}>
        {article.title || '(untitled)'}
      </a>
      <p class="row-meta">
        <span class="feeds">{feeds.join(', ') || '—'}</span>
        <time dateTime={time}>{shortTime(time)}</time>
        {article.lang && <span class="lang" title="Language">{article.lang}</span>}
        <span class={`state ${review.cls}`}>{review.text}</span>
      </p>
      <ul class="chips" aria-label="Labels">
        {article.labels.map((label) => (
          <LabelChip key={label.id} label={label} style={styleOf(label.id)} />
        ))}
      </ul>
    </li>
  );
}

const REVIEW_MARK: Record<StoredLabel['review'], string> = { unreviewed: '', confirmed: '✓', rejected: '✗' };

export function LabelChip({ label, style }: { label: StoredLabel; style: LabelStyle }) {
  return (
    <li class={`chip ${style.cls} chip-${label.review}`}>
      <span class="chip-name">{style.name}</span> <span class="chip-score">{score(label.score)}</span>
      {label.review !== 'unreviewed' && (
        <span class="chip-review" title={label.review}>
          {' '}
          {REVIEW_MARK[label.review]}
          <span class="visually-hidden"> {label.review}</span>
        </span>
      )}
    </li>
  );
}

function Filters({ search, framework, feeds, set }: { search: string; framework: Framework | null; feeds: FeedView[]; set: (key: FilterKey, value: string | null) => void }) {
  const params = new URLSearchParams(search);
  const value = (key: FilterKey) => params.get(key) ?? '';
  const tags = [...new Set(feeds.flatMap((f) => f.tags))].sort();
  const active = [...params.keys()].filter((k) => k !== 'sort').length;
  // Open beside the list on a wide screen; folded above it on a phone unless a filter is set.
  const wide = window.matchMedia('(min-width: 64rem)').matches;
  const onSelect = (key: FilterKey) => (e: Event) => set(key, (e.currentTarget as HTMLSelectElement).value || null);
  const onText = (key: FilterKey) => (e: Event) => set(key, (e.currentTarget as HTMLInputElement).value || null);
  return (
    <details class="filters" open={wide || active > 0 || undefined}>
      <summary>
        Filters{active > 0 ? ` (${active})` : ''}
      </summary>
      <form
        class="filter-form"
        role="search"
        aria-label="Filter articles"
        onSubmit={(e) => {
          e.preventDefault();
          const q = (e.currentTarget.elements.namedItem('q') as HTMLInputElement).value;
          set('q', q || null);
        }}
      >
        <div class="field wide">
          <label for="f-q">Search title and text</label>
          <input id="f-q" name="q" type="search" value={value('q')} placeholder='words, "a phrase", -not' onChange={onText('q')} />
        </div>
        <div class="field">
          <label for="f-label">Label</label>
          <select id="f-label" value={value('label')} onChange={onSelect('label')}>
            <option value="">Any label</option>
            {framework?.labels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-group">Group</label>
          <select id="f-group" value={value('group')} onChange={onSelect('group')}>
            <option value="">Any group</option>
            {framework?.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-review">Review state</label>
          <select id="f-review" value={value('review')} onChange={onSelect('review')}>
            <option value="">Any</option>
            <option value="unreviewed">Unreviewed</option>
            <option value="confirmed">Confirmed</option>
            <option value="rejected">Rejected</option>
          </select>
        </div>
        <div class="field">
          <label for="f-feed">Feed</label>
          <select id="f-feed" value={value('feed')} onChange={onSelect('feed')}>
            <option value="">Any feed</option>
            {feeds.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-tag">Feed tag</label>
          <select id="f-tag" value={value('tag')} onChange={onSelect('tag')}>
            <option value="">Any tag</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div class="field narrow">
          <label for="f-lang">Language</label>
          <input id="f-lang" type="text" inputMode="text" size={5} value={value('lang')} placeholder="en" pattern="[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*" onChange={onText('lang')} />
        </div>
        <div class="field narrow">
          <label for="f-min">Min. score</label>
          <input id="f-min" type="number" min="0" max="1" step="0.05" value={value('minScore')} onChange={onText('minScore')} />
        </div>
        <div class="field date">
          <label for="f-since">From</label>
          <input id="f-since" type="date" value={value('since')} onChange={onText('since')} />
        </div>
        <div class="field date">
          <label for="f-until">Until</label>
          <input id="f-until" type="date" value={value('until')} onChange={onText('until')} />
        </div>
        <div class="field">
          <label for="f-sort">Order</label>
          <select id="f-sort" value={value('sort')} onChange={onSelect('sort')}>
            <option value="">Newest first</option>
            <option value="score">Best score first</option>
          </select>
        </div>
        <div class="field checks">
          <label>
            <input type="checkbox" checked={value('needsReview') === 'true'} onChange={(e) => set('needsReview', e.currentTarget.checked ? 'true' : null)} /> Needs review
          </label>
          <label>
            <input type="checkbox" checked={value('all') === 'true'} onChange={(e) => set('all', e.currentTarget.checked ? 'true' : null)} /> Include untagged
          </label>
        </div>
        <div class="field actions">
          <button type="submit">Search</button>
          {active > 0 && (
            <a class="button secondary" href="/">
              Clear filters
            </a>
          )}
        </div>
      </form>
    </details>
  );
}
