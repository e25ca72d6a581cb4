import { useCallback, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { apiQueryOf, canonicalSearch } from './filters.js';
import type { ArticlePage, ArticleRecord, FeedView } from './types.js';

/** The inbox's rows for one filter string: what j/k walk through, in the inbox and in the article view. */
export interface ArticleList {
  /** Canonical desk query the rows belong to. */
  search: string;
  items: ArticleRecord[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** True once the first page has arrived. */
  loaded: boolean;
}

const EMPTY: ArticleList = { search: '\u0000', items: [], nextCursor: null, loading: false, error: null, loaded: false };

export interface ListControls {
  list: ArticleList;
  /** Loads the first page for `search` unless the list already holds it (or is loading it). */
  ensure(search: string, feeds: FeedView[]): void;
  /** Reloads the first page (after a filter change that canonicalises to the same string, or on demand). */
  reload(search: string, feeds: FeedView[]): void;
  /** Appends the next page; resolves to the rows added. */
  loadMore(feeds: FeedView[]): Promise<ArticleRecord[]>;
  /** Puts an updated record in place (after a verdict), without its text. */
  replace(record: ArticleRecord): void;
}

export function useArticleList(): ListControls {
  const [list, setList] = useState<ArticleList>(EMPTY);
  const ref = useRef(list);
  ref.current = list;
  // Answers to an older request (filters changed meanwhile) are dropped.
  const generation = useRef(0);

  const load = useCallback((search: string, feeds: FeedView[]) => {
    const canonical = canonicalSearch(search);
    const gen = ++generation.current;
    const url = apiQueryOf(canonical, feeds, null);
    if (url === null) {
      setList({ search: canonical, items: [], nextCursor: null, loading: false, error: null, loaded: true });
      return;
    }
    setList({ search: canonical, items: [], nextCursor: null, loading: true, error: null, loaded: false });
    api.get<ArticlePage>(url).then(
      (page) => gen === generation.current && setList({ search: canonical, items: page.items, nextCursor: page.nextCursor, loading: false, error: null, loaded: true }),
      (err: Error) => gen === generation.current && setList({ search: canonical, items: [], nextCursor: null, loading: false, error: err.message, loaded: true }),
    );
  }, []);

  const ensure = useCallback(
    (search: string, feeds: FeedView[]) => {
      if (ref.current.search !== canonicalSearch(search)) load(search, feeds);
    },
    [load],
  );

  const loadMore = useCallback(async (feeds: FeedView[]): Promise<ArticleRecord[]> => {
    const current = ref.current;
    if (!current.nextCursor || current.loading) return [];
    const url = apiQueryOf(current.search, feeds, current.nextCursor);
    if (url === null) return [];
    const gen = generation.current;
    setList({ ...current, loading: true });
    try {
      const page = await api.get<ArticlePage>(url);
      if (gen !== generation.current) return [];
      const seen = new Set(current.items.map((a) => a.id));
      const added = page.items.filter((a) => !seen.has(a.id));
      setList({ ...current, items: [...current.items, ...added], nextCursor: page.nextCursor, loading: false });
      return added;
    } catch (err) {
      if (gen === generation.current) setList({ ...current, loading: false, error: (err as Error).message });
      return [];
    }
  }, []);

  const replace = useCallback((record: ArticleRecord) => {
    setList((current) => ({ ...current, items: current.items.map((a) => (a.id === record.id ? { ...record, text: null, html: null } : a)) }));
  }, []);

  return { list, ensure, reload: load, loadMore, replace };
}
