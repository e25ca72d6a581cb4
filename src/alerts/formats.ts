import type { ArticleSummary, WebhookEvent } from './payload.js';

export type EndpointFormat = 'json' | 'slack' | 'discord';

/** Slack and Discord cap message text; stay well inside both. */
const MAX_LINES = 10;
const DISCORD_DESCRIPTION_MAX = 4000;

/**
 * The request body for an endpoint's format. `json` is the stored Standard Webhooks payload, byte for byte;
 * `slack` and `discord` are rendered from it (the signature headers are sent with every format).
 */
export function renderBody(format: EndpointFormat, storedBody: string): string {
  if (format === 'json') return storedBody;
  const event = JSON.parse(storedBody) as WebhookEvent;
  const message = describe(event);
  return JSON.stringify(format === 'slack' ? slackMessage(message) : discordMessage(message, event.timestamp));
}

interface Message {
  title: string;
  url: string | null;
  lines: string[];
  footer: string;
}

function describe(event: WebhookEvent): Message {
  const d = event.data;
  const rule = (d.rule as { id: string } | undefined)?.id;
  const footer = `framewatch · ${event.type}${rule ? ` · rule ${rule}` : ''}`;
  switch (event.type) {
    case 'article.matched':
    case 'article.updated': {
      const a = d.article as ArticleSummary;
      const lines = [
        `Feeds: ${a.feeds.map((f) => f.name).join(', ') || '—'}${a.publishedAt ? ` · published ${a.publishedAt}` : ''}`,
        ...a.labels.map((l) => `• ${l.id} (${l.score.toFixed(2)}${l.direction ? `, ${l.direction}` : ''})${l.evidence[0] ? `: “${l.evidence[0]}”` : ''}`),
      ];
      if (event.type === 'article.updated') {
        const story = d.story as { alsoReportedBy: { title: string; feeds: string[] }[] };
        lines.unshift(`Also reported by: ${story.alsoReportedBy.map((r) => r.feeds.join(', ') || r.title).join('; ')}`);
      }
      return { title: `${event.type === 'article.updated' ? 'Update: ' : ''}${a.title}`, url: a.url, lines, footer };
    }
    case 'article.digest': {
      const articles = d.articles as ArticleSummary[];
      const lines = articles.slice(0, MAX_LINES).map((a) => `• ${link(a.url, a.title)} (${a.labels.map((l) => l.id).join(', ')})`);
      if (articles.length > MAX_LINES) lines.push(`… and ${articles.length - MAX_LINES} more`);
      return { title: `${articles.length} article${articles.length === 1 ? '' : 's'} matched rule ${rule ?? ''}`, url: null, lines, footer };
    }
    case 'feed.health': {
      const feed = d.feed as { name: string };
      return { title: `Feed ${feed.name} is ${String(d.state)}`, url: null, lines: [`Was ${String(d.previousState ?? 'unknown')}${d.reason ? `: ${String(d.reason)}` : ''}`], footer };
    }
    case 'endpoint.disabled': {
      const ep = d.endpoint as { id: string };
      return { title: `Webhook endpoint ${ep.id} disabled`, url: null, lines: [String(d.reason)], footer };
    }
  }
}

/** Slack incoming-webhook message: `text` is the notification fallback, `blocks` the layout. */
function slackMessage(m: Message): unknown {
  const title = m.url ? `*<${m.url}|${escapeSlack(m.title)}>*` : `*${escapeSlack(m.title)}*`;
  return {
    text: m.title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: title } },
      ...(m.lines.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: m.lines.slice(0, MAX_LINES + 1).map(slackLine).join('\n') } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(m.footer) }] },
    ],
  };
}

/** Discord webhook message with one embed. */
function discordMessage(m: Message, timestamp: string): unknown {
  const description = m.lines
    .slice(0, MAX_LINES + 1)
    .map((l) => l.replace(LINK_RE, (_m, url: string, title: string) => `[${title.replace(/[[\]]/g, '')}](${url})`))
    .join('\n')
    .slice(0, DISCORD_DESCRIPTION_MAX);
  return {
    content: m.title.slice(0, 1900),
    embeds: [{ title: m.title.slice(0, 256), ...(m.url ? { url: m.url } : {}), description, footer: { text: m.footer }, timestamp }],
    // A headline is not an instruction to ping anyone.
    allowed_mentions: { parse: [] },
  };
}

function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Links inside message lines are marked with control characters (never in a title) so each format renders
 * them its own way after escaping the text around them.
 */
// eslint-disable-next-line no-control-regex -- the control characters are the point: they never occur in text.
const LINK_RE = /\u0001([^\u0002]*)\u0002([^\u0003]*)\u0003/g;

function link(url: string, title: string): string {
  return `\u0001${url}\u0002${title}\u0003`;
}

function slackLine(line: string): string {
  let out = '';
  let last = 0;
  for (const m of line.matchAll(LINK_RE)) {
    out += escapeSlack(line.slice(last, m.index));
    // Slack link text ends at '>' and its URL at '|': both escaped or removed.
    out += `<${(m[1] ?? '').replace(/[|>]/g, encodeURIComponent)}|${escapeSlack(m[2] ?? '')}>`;
    last = m.index + m[0].length;
  }
  return out + escapeSlack(line.slice(last));
}
