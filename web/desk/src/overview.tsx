import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { daysBetween, LabelChart } from './chart.js';
import { fullTime, hostOf, percent, shortTime } from './format.js';
import type { LabelStyle } from './labels.js';
import { navigate } from './router.js';
import type { Delivery, FeedState, FeedView, Framework, Stats } from './types.js';

const RANGES = [7, 30, 90] as const;

/** Failing and quiet feeds first: they are the ones that need someone. */
const STATE_ORDER: Record<FeedState, number> = { failing: 0, quiet: 1, degraded: 2, new: 3, ok: 4 };

export interface OverviewProps {
  search: string;
  framework: Framework | null;
  styleOf: (id: string) => LabelStyle;
  announce: (message: string) => void;
}

/** Counts per label per day with the reviewed share, reviewer agreement, feed health and webhook deliveries. */
export function Overview({ search, framework, styleOf, announce }: OverviewProps) {
  const params = new URLSearchParams(search);
  const days = RANGES.find((r) => String(r) === params.get('days')) ?? 30;
  const today = new Date().toISOString().slice(0, 10);
  const since = daysBetween(new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10), today)[0] ?? today;
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chartRef = useRef<HTMLDivElement>(null);
  const [chartWidth, setChartWidth] = useState(720);
  useEffect(() => {
    const el = chartRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setChartWidth(entry.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, [stats]);

  useEffect(() => {
    let live = true;
    setStats(null);
    api.get<Stats>(`/api/stats?since=${since}`).then(
      (s) => live && setStats(s),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [since]);

  const labelIds = framework?.labels.map((l) => l.id) ?? [];
  const extra = stats ? [...new Set(stats.days.flatMap((d) => Object.keys(d.labels)))].filter((id) => !labelIds.includes(id)) : [];
  const series = stats && {
    days: daysBetween(since, today),
    labels: [...labelIds, ...extra],
    count: (day: string, label: string) => stats.days.find((d) => d.day === day)?.labels[label] ?? 0,
  };

  return (
    <div class="overview">
      <h1>Overview</h1>
      <section aria-labelledby="labels-per-day">
        <div class="section-head">
          <h2 id="labels-per-day">Labels per day</h2>
          <nav aria-label="Range" class="range">
            {RANGES.map((r) => (
              <a key={r} href={`/overview?days=${r}`} aria-current={r === days ? 'page' : undefined} onClick={(e) => {
                  e.preventDefault();
                  navigate(`/overview?days=${r}`, { replace: true });
                }}>
                {r} days
              </a>
            ))}
          </nav>
        </div>
        {error && (
          <p role="alert" class="error">
            Could not load the figures: {error}
          </p>
        )}
        {!stats && !error && <p aria-busy="true">Loading…</p>}
        {stats && series && (
          <>
            <p class="shares">
              <span>
                <strong>{stats.articles}</strong> articles since {since}
              </span>
              <span>
                Reviewed: <strong data-testid="reviewed-share">{percent(stats.reviewedShare)}</strong> of the classifier's labels
              </span>
              <span>
                <strong>{percent(stats.reviewedArticleShare)}</strong> of articles have a verdict
              </span>
            </p>
            <div class="chart-wrap" ref={chartRef}>
              <LabelChart series={series} styleOf={styleOf} width={chartWidth} />
            </div>
            <ul class="legend" aria-label="Legend">
              {series.labels.map((id) => {
                const row = stats.labels.find((l) => l.label === id);
                return (
                  <li key={id} class={styleOf(id).cls}>
                    <span class="swatch" aria-hidden="true" />
                    {styleOf(id).name}: {row?.articles ?? 0}
                    {row && row.articles > 0 ? ` (${percent(row.reviewed / row.articles)} reviewed)` : ''}
                  </li>
                );
              })}
            </ul>
            <details class="chart-table">
              <summary>The chart's figures as a table</summary>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      {series.labels.map((id) => (
                        <th key={id} scope="col">
                          {styleOf(id).name}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {series.days.map((day) => (
                      <tr key={day}>
                        <th scope="row">{day}</th>
                        {series.labels.map((id) => (
                          <td key={id}>{series.count(day, id)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </section>

      {stats && (
        <section aria-labelledby="agreement-heading">
          <h2 id="agreement-heading">Reviewer agreement</h2>
          <p class="hint">The classifier's precision as reviewers measured it: confirmed ÷ (confirmed + rejected), per label and model version.</p>
          {stats.agreement.length === 0 ? (
            <p class="empty">No verdicts in this range yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="agreement">
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Model</th>
                    <th scope="col" class="num">Confirmed</th>
                    <th scope="col" class="num">Rejected</th>
                    <th scope="col" class="num">Precision</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.agreement.map((a) => (
                    <tr key={`${a.label}/${a.model}`} data-label={a.label}>
                      <td>{styleOf(a.label).name}</td>
                      <td>
                        <code>{a.model ?? '—'}</code>
                      </td>
                      <td class="num">{a.confirmed}</td>
                      <td class="num">{a.rejected}</td>
                      <td class="num">{percent(a.precision)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      <FeedHealth />
      <Deliveries announce={announce} />
    </div>
  );
}

function FeedHealth() {
  const [feeds, setFeeds] = useState<FeedView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ items: FeedView[] }>('/api/feeds').then(
      (r) => setFeeds([...r.items].sort((a, b) => STATE_ORDER[a.health.state] - STATE_ORDER[b.health.state] || a.name.localeCompare(b.name))),
      (err: Error) => setError(err.message),
    );
  }, []);
  return (
    <section aria-labelledby="feeds-heading">
      <h2 id="feeds-heading">Feed health</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {feeds && (
        <div class="table-wrap">
          <table class="feeds">
            <thead>
              <tr>
                <th scope="col">Feed</th>
                <th scope="col">State</th>
                <th scope="col">Last success</th>
                <th scope="col">Last error</th>
                <th scope="col">Next poll</th>
              </tr>
            </thead>
            <tbody>
              {feeds.map((f) => (
                <tr key={f.id} data-feed={f.id} data-state={f.health.state}>
                  <td>
                    {f.name}
                    <span class="sub">{hostOf(f.url)}</span>
                  </td>
                  <td>
                    <span class={`badge feed-${f.health.state}`}>{f.health.state}</span>
                    {f.health.consecutiveFailures > 0 && <span class="sub">{f.health.consecutiveFailures} failures in a row</span>}
                  </td>
                  <td>{shortTime(f.health.lastSuccessAt)}</td>
                  <td>
                    {f.health.lastError ? (
                      <>
                        {f.health.lastError.class}
                        {f.health.lastError.status ? ` (HTTP ${f.health.lastError.status})` : ''}
                        {!/^HTTP \d+$/.test(f.health.lastError.message) && <span class="sub">{f.health.lastError.message}</span>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{shortTime(f.health.nextPollAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Deliveries({ announce }: { announce: (message: string) => void }) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [open, setOpen] = useState<Record<string, Delivery>>({});
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api.get<{ items: Delivery[] }>('/api/deliveries?limit=20').then(
      (r) => setItems(r.items),
      (err: Error) => setError(err.message),
    );
  useEffect(() => void load(), []);

  const toggle = async (d: Delivery) => {
    if (open[d.id]) {
      const { [d.id]: _closed, ...rest } = open;
      setOpen(rest);
      return;
    }
    const full = await api.get<Delivery>(`/api/deliveries/${encodeURIComponent(d.id)}`);
    setOpen((o) => ({ ...o, [d.id]: full }));
  };

  const replay = async (d: Delivery) => {
    try {
      await api.post(`/api/deliveries/${encodeURIComponent(d.id)}/replay`);
      announce(`Replay of ${d.eventType} to ${d.endpointId} queued.`);
      await load();
    } catch (err) {
      announce(`Replay failed: ${(err as Error).message}`);
    }
  };

  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Webhook deliveries</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p class="empty">No deliveries yet.</p>}
      {items && items.length > 0 && (
        <div class="table-wrap">
          <table class="deliveries">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Attempts</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <Fragment key={d.id}>
                  <tr data-delivery={d.id}>
                    <td>{shortTime(d.createdAt)}</td>
                    <td>{d.endpointId}</td>
                    <td>
                      {d.eventType}
                      {d.ruleId && <span class="sub">rule {d.ruleId}</span>}
                    </td>
                    <td>
                      <span class={`badge delivery-${d.status}`}>{d.status}</span>
                      {d.lastStatus !== null && <span class="sub">HTTP {d.lastStatus}</span>}
                    </td>
                    <td class="num">
                      <button type="button" class="link" aria-expanded={Boolean(open[d.id])} onClick={() => void toggle(d)}>
                        {d.attempts}
                        <span class="visually-hidden"> attempts: show them</span>
                      </button>
                    </td>
                    <td>
                      <button type="button" onClick={() => void replay(d)}>
                        Replay<span class="visually-hidden"> delivery {d.id}</span>
                      </button>
                    </td>
                  </tr>
                  {open[d.id] && (
                    <tr class="attempts">
                      <td colSpan={6}>
                        <ol>
                          {(open[d.id]?.attemptLog ?? []).map((a) => (
                            <li key={a.attempt}>
                              #{a.attempt} {fullTime(a.at)}: {a.outcome}
                              {a.statusCode !== null ? `, HTTP ${a.statusCode}` : ''}, {a.latencyMs} ms{a.error ? `, ${a.error}` : ''}
                            </li>
                          ))}
                        </ol>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
