import './desk.css';
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, signedIn } from './api.js';
import { ArticleView } from './article.js';
import { Help } from './help.js';
import { Inbox } from './inbox.js';
import { installKeyboard, useKeys } from './keys.js';
import { labelStyles } from './labels.js';
import { useArticleList } from './list.js';
import { Overview } from './overview.js';
import { interceptLinks, useLocation } from './router.js';
import type { FeedView, Framework } from './types.js';

const REVIEWER_KEY = 'framewatch.reviewer';

function App() {
  const loc = useLocation();
  const [framework, setFramework] = useState<Framework | null>(null);
  const [feeds, setFeeds] = useState<FeedView[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [reviewer, setReviewerState] = useState(() => localStorage.getItem(REVIEWER_KEY) ?? '');
  const [message, setMessage] = useState('');
  const [helpOpen, setHelpOpen] = useState(false);
  const controls = useArticleList();

  useEffect(() => {
    api.get<Framework>('/api/framework').then(setFramework, () => setFramework(null));
    // The feed list names the filters' feeds and turns a feed tag into feed ids; without it, no tags.
    api.get<{ items: FeedView[] }>('/api/feeds').then(
      (r) => setFeeds(r.items),
      () => setFeeds([]),
    );
  }, []);

  const styleOf = useMemo(() => labelStyles(framework), [framework]);
  const clearTimer = useRef<number | undefined>(undefined);
  const announce = useCallback((text: string) => {
    // Cleared first, so the same message twice is read twice; gone after a few seconds.
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
    window.clearTimeout(clearTimer.current);
    clearTimer.current = window.setTimeout(() => setMessage(''), 4000);
  }, []);
  const setReviewer = (name: string) => {
    setReviewerState(name);
    localStorage.setItem(REVIEWER_KEY, name);
  };

  useKeys((key) => {
    if (key === '?') {
      setHelpOpen(true);
      return true;
    }
    return false;
  });

  const articleMatch = /^\/articles\/([^/]+)$/.exec(loc.path);
  const page = articleMatch ? 'article' : loc.path === '/overview' ? 'overview' : loc.path === '/' ? 'inbox' : 'missing';
  useEffect(() => {
    if (page === 'inbox') document.title = 'Inbox · framewatch';
    if (page === 'overview') document.title = 'Overview · framewatch';
    if (page === 'article' && articleMatch?.[1]) setSelectedId(decodeURIComponent(articleMatch[1]));
  }, [page, loc.path]);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          framewatch <span>review desk</span>
        </a>
        <nav aria-label="Desk">
          <a href={`/${page === 'article' ? loc.search : ''}`} aria-current={page === 'inbox' ? 'page' : undefined}>
            Inbox
          </a>
          <a href="/overview" aria-current={page === 'overview' ? 'page' : undefined}>
            Overview
          </a>
        </nav>
        <div class="top-actions">
          <button type="button" class="secondary" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            Keys <kbd>?</kbd>
          </button>
          {signedIn && (
            <button type="button" class="secondary" onClick={() => void signOut()}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {feeds === null ? (
          <p aria-busy="true">Loading…</p>
        ) : page === 'inbox' ? (
          <Inbox search={loc.search} framework={framework} feeds={feeds} controls={controls} styleOf={styleOf} selectedId={selectedId} onSelect={setSelectedId} />
        ) : page === 'article' && articleMatch?.[1] ? (
          <ArticleView
            id={decodeURIComponent(articleMatch[1])}
            search={loc.search}
            framework={framework}
            feeds={feeds}
            controls={controls}
            styleOf={styleOf}
            reviewer={reviewer}
            setReviewer={setReviewer}
            announce={announce}
          />
        ) : page === 'overview' ? (
          <Overview search={loc.search} framework={framework} styleOf={styleOf} announce={announce} />
        ) : (
          <p>
            No such page. <a href="/">Go to the inbox</a>.
          </p>
        )}
      </main>
      <p class="status" role="status" aria-live="polite">
        {message}
      </p>
      <Help open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}

async function signOut(): Promise<void> {
  try {
    await api.post('/sign-out');
  } finally {
    location.assign('/sign-in');
  }
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  installKeyboard();
  interceptLinks(document.body);
  render(<App />, root);
}

