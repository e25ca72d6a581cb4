import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTrainCommand } from '../../../src/cli/commands/train.js';
import type { CliContext } from '../../../src/cli/context.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ArticleWork } from '../../../src/domain/types.js';
import { createLogger } from '../../../src/obs/logger.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { dev, devDataset, repoRoot } from '../../unit/classifiers/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'fw-train-reviews-'));

function work(id: string, title: string, text: string): ArticleWork {
  const at = '2026-11-20T10:00:00.000Z';
  return {
    id,
    canonicalUrl: `https://news.example/${id}`,
    item: { guid: id, link: null, title, publishedAt: at, summary: '', contentHtml: null, author: null, categories: [], enclosures: [] },
    sightings: [{ feedId: 'f', feedName: 'F', link: null, guid: id, seenAt: at }],
    firstSeenAt: at,
    extracted: { text, html: null, title, byline: null, publishedAt: at, modifiedAt: null, lang: 'en', siteName: null, canonicalUrl: null, leadImage: null, wordCount: 20, method: 'readability', confidence: 1, flags: [], fallbackReason: null },
    classification: { labels: [], relevance: 1, framework: 'fw-x', model: 'm-x' },
    trace: [],
  };
}

describe('framewatch train --include-reviews on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const t = await createTestDatabase('classifier_train_reviews');
    drop = t.drop;
    url = t.url;
    const db = await openDatabase({ url, dataDir: tmp });
    try {
      await migrate(db);
      const store = new ArticleStore(db);
      await store.saveArticle(work('r1', 'EU approves loan for Ukraine', 'The EU approved a €50 billion loan to support Ukraine’s budget and economic recovery.'));
      await store.saveArticle(work('r2', 'Unreviewed article', 'Nobody reviewed this article about Russia.'));
      await store.recordReview({ articleId: 'r1', verdicts: [{ label: 'economic-support', verdict: 'add', groups: ['policy-focuses'] }] });
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await drop?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  it.skipIf(!dev.present)('adds reviewed articles (and only those) to the training examples', async () => {
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    const opened: Db[] = [];
    const ctx: CliContext = {
      loadConfig: () => loadConfig({ configDir: join(repoRoot, 'config'), env: {} }),
      logger: () => createLogger('silent'),
      createFetcher: () => {
        throw new Error('not used');
      },
      openDb: async () => {
        const db = await openDatabase({ url, dataDir: tmp });
        opened.push(db);
        return db;
      },
      stdout: out,
      stdin: Readable.from([]),
    };
    const subset = join(tmp, 'subset.jsonl');
    writeFileSync(subset, readFileSync(devDataset, 'utf8').split('\n').filter((_, i) => i % 5 === 0).join('\n'));
    const program = new Command('framewatch').exitOverride();
    registerTrainCommand(program, ctx);
    await program.parseAsync(['node', 'framewatch', 'train', '--dataset', subset, '--include-reviews', '--folds', '2', '--models-dir', join(tmp, 'models'), '--json']);
    const run = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { version: string; report: { articles: number } };
    // 14 dev texts + 1 reviewed article; the unreviewed one is not training data.
    expect(run.report.articles).toBe(15);
    const model = JSON.parse(readFileSync(join(tmp, 'models', `${run.version}.json`), 'utf8')) as { training: { examples: number; datasets: string[] } };
    expect(model.training.examples).toBe(15);
    expect(model.training.datasets).toContain('reviews');
    expect(opened).toHaveLength(1);
  });
});
