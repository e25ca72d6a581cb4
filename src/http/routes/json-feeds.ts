import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Framework } from '../../config/framework-schema.js';
import type { ArticleQuery } from '../../store/article-query.js';
import type { ArticleStore } from '../../store/article-store.js';
import { errorSchema } from '../article-schemas.js';
import { toJsonFeedItem, type JsonFeed } from '../json-feed.js';
import { useZodSchemas } from '../zod-validation.js';

const feedQuerySchema = z.strictObject({
  token: z.string().optional().meta({ description: 'API token, for readers that cannot send an Authorization header' }),
  cursor: z.string().min(1).max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
type FeedQuery = z.output<typeof feedQuerySchema>;

const jsonFeedSchema = z.object({ version: z.string(), title: z.string(), items: z.array(z.object({ id: z.string(), tags: z.array(z.string()) }).loose()) }).loose();

/** Readers subscribe to what is tagged: labels rejected by a reviewer do not put an article in a feed. */
const LIVE_REVIEW_STATES: ArticleQuery['review'] = ['unreviewed', 'confirmed'];

/**
 * JSON Feed 1.1 per label, per group and for everything tagged, newest first, paged with `next_url`;
 * mounted under /feeds (token by header or `?token=`).
 */
export function jsonFeedRoutes(deps: { articles: ArticleStore; publicUrl: string; framework: () => Framework }): FastifyPluginAsync {
  const base = deps.publicUrl.replace(/\/+$/, '');

  async function send(req: FastifyRequest, reply: FastifyReply, path: string, title: string, description: string, filter: ArticleQuery): Promise<FastifyReply> {
    const q = req.query as FeedQuery;
    const page = await deps.articles.listArticles({ ...filter, review: LIVE_REVIEW_STATES, sort: 'time', cursor: q.cursor ?? null, limit: q.limit });
    const feedUrl = `${base}/feeds${path}`;
    const feed: JsonFeed = {
      version: 'https://jsonfeed.org/version/1.1',
      title,
      home_page_url: base,
      feed_url: feedUrl,
      description,
      items: page.items.map((a) => toJsonFeedItem(a, base)),
      _framewatch: { about: 'https://github.com/framewatch/framewatch#json-feeds', framework: deps.framework().version },
    };
    if (page.nextCursor) {
      const next = new URL(feedUrl);
      next.searchParams.set('cursor', page.nextCursor);
      if (q.limit !== 50) next.searchParams.set('limit', String(q.limit));
      // A reader that authenticates by ?token= needs it on the next page too.
      if (q.token) next.searchParams.set('token', q.token);
      feed.next_url = next.toString();
    }
    // Feed readers poll often: an unchanged page costs them a 304 instead of the whole document.
    const body = JSON.stringify(feed);
    const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    void reply.header('etag', etag).header('cache-control', 'private, max-age=60');
    if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return reply.code(304).send();
    return reply.type('application/feed+json; charset=utf-8').send(body);
  }

  const notFound = (reply: FastifyReply, what: string) => reply.code(404).send({ statusCode: 404, error: 'Not Found', message: what });
  const schema = (summary: string, param: string) => ({
    summary,
    tags: ['json-feed'],
    params: z.strictObject({ [param]: z.string().min(1).max(100) }),
    querystring: feedQuerySchema,
    response: { 200: jsonFeedSchema, 404: errorSchema },
  });

  return async (app) => {
    useZodSchemas(app);

    app.get('/labels/:label.json', { schema: schema('JSON Feed of articles tagged with a label', 'label') }, async (req, reply) => {
      const { label } = req.params as { label: string };
      const def = deps.framework().labels.find((l) => l.id === label);
      if (!def) return notFound(reply, `no label ${label}`);
      return send(req, reply, `/labels/${label}.json`, `framewatch: ${def.name}`, def.description, { labels: [label] });
    });

    app.get('/groups/:group.json', { schema: schema('JSON Feed of articles with a label in a group', 'group') }, async (req, reply) => {
      const { group } = req.params as { group: string };
      const def = deps.framework().groups.find((g) => g.id === group);
      if (!def) return notFound(reply, `no group ${group}`);
      return send(req, reply, `/groups/${group}.json`, `framewatch: ${def.name}`, def.description || def.name, { groups: [group] });
    });

    app.get(
      '/all.json',
      { schema: { summary: 'JSON Feed of every tagged article', tags: ['json-feed'], querystring: feedQuerySchema, response: { 200: jsonFeedSchema } } },
      async (req, reply) => {
        const fw = deps.framework();
        return send(req, reply, '/all.json', `framewatch: ${fw.name}`, fw.scope.description, {});
      },
    );
  };
}
