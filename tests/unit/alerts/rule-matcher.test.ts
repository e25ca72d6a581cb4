import { describe, expect, it } from 'vitest';
import { alertsFileSchema, type AlertRule } from '../../../src/config/alerts-schema.js';
import { explainFeedHealthRule, explainRule } from '../../../src/alerts/rule-matcher.js';
import { makeArticle } from './article-factory.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function rule(spec: Record<string, unknown>): AlertRule {
  const file = alertsFileSchema.parse({ endpoints: [{ id: 'hook', url: 'https://hooks.example/x', secret: SECRET }], rules: [{ id: 'r', endpoints: ['hook'], ...spec }] });
  return file.rules[0] as AlertRule;
}

const sanctions = makeArticle({
  labelSpecs: [
    { id: 'targeted-sanctions', score: 0.82, groups: ['policy-focuses'], direction: 'imposed' },
    { id: 'economic-engagement', score: 0.35, groups: ['aspects'] },
  ],
});

describe('rule matching', () => {
  it('matches any of its labels at or above minScore, and says which', () => {
    const e = explainRule(rule({ labels: ['targeted-sanctions', 'cybersecurity'], minScore: 0.5 }), sanctions);
    expect(e.matched).toBe(true);
    expect(e.matchedLabels).toEqual(['targeted-sanctions']);
    expect(explainRule(rule({ labels: ['economic-engagement'], minScore: 0.5 }), sanctions).matched).toBe(false);
  });

  it('labelMatch all needs every label', () => {
    expect(explainRule(rule({ labels: ['targeted-sanctions', 'economic-engagement'], labelMatch: 'all' }), sanctions).matched).toBe(true);
    const e = explainRule(rule({ labels: ['targeted-sanctions', 'cybersecurity'], labelMatch: 'all' }), sanctions);
    expect(e.matched).toBe(false);
    expect(e.checks.find((c) => c.check === 'labels')?.detail).toContain('cybersecurity');
  });

  it('matches a group through any of its labels', () => {
    expect(explainRule(rule({ groups: ['aspects'] }), sanctions).matchedLabels).toEqual(['economic-engagement']);
    expect(explainRule(rule({ groups: ['impact-areas'] }), sanctions).matched).toBe(false);
  });

  it('ignores labels a reviewer rejected', () => {
    const rejected = makeArticle({ labelSpecs: [{ id: 'targeted-sanctions', score: 0.9, review: 'rejected' }] });
    expect(explainRule(rule({ labels: ['targeted-sanctions'] }), rejected).matched).toBe(false);
  });

  it('filters on sanctions direction', () => {
    expect(explainRule(rule({ labels: ['targeted-sanctions'], direction: ['imposed', 'tightened'] }), sanctions).matched).toBe(true);
    const e = explainRule(rule({ labels: ['targeted-sanctions'], direction: ['lifted'] }), sanctions);
    expect(e.matched).toBe(false);
    expect(e.checks.find((c) => c.check === 'direction')?.passed).toBe(false);
  });

  it('filters on feeds (id or name) and feed tags', () => {
    expect(explainRule(rule({ feeds: ['outlet a'] }), sanctions).matched).toBe(true);
    expect(explainRule(rule({ feeds: ['feed-a'] }), sanctions).matched).toBe(true);
    expect(explainRule(rule({ feeds: ['feed-b'] }), sanctions).matched).toBe(false);
    const tags = { feedTags: (id: string) => (id === 'feed-a' ? ['ministry', 'eu'] : []) };
    expect(explainRule(rule({ feedTags: ['eu'] }), sanctions, tags).matched).toBe(true);
    expect(explainRule(rule({ feedTags: ['think-tank'] }), sanctions, tags).matched).toBe(false);
  });

  it('filters on language, with region subtags', () => {
    expect(explainRule(rule({ languages: ['en'] }), makeArticle({ lang: 'en-GB' })).matched).toBe(true);
    expect(explainRule(rule({ languages: ['de'] }), makeArticle({ lang: 'en' })).matched).toBe(false);
    expect(explainRule(rule({ languages: ['en'] }), makeArticle({ lang: null })).matched).toBe(false);
  });

  it('keywords are whole words or phrases, case-insensitive, and the explanation quotes the hit', () => {
    const e = explainRule(rule({ keywords: ['drone parts'] }), sanctions);
    expect(e.matched).toBe(true);
    expect(e.checks.find((c) => c.check === 'keywords')?.detail).toMatch(/"drone parts" in text: .*export drone parts/);
    expect(explainRule(rule({ keywords: ['drone part'] }), sanctions).matched).toBe(false);
    expect(explainRule(rule({ keywords: ['UNION'] }), sanctions).matched).toBe(true);
    expect(explainRule(rule({ keywords: ['union'], searchIn: ['title'] }), sanctions).matched).toBe(false);
  });

  it('regular expressions search title and text', () => {
    expect(explainRule(rule({ patterns: ['\\bimpos(e|es|ed)\\b.*sanction'] }), sanctions).matched).toBe(true);
    expect(explainRule(rule({ patterns: ['^sanctions'] }), sanctions).matched).toBe(false);
  });

  it('searches the summary once retention dropped the text', () => {
    const old = makeArticle({ text: null, summary: 'Brussels widened the export ban.', title: 'Export ban' });
    expect(explainRule(rule({ keywords: ['Brussels'] }), old).matched).toBe(true);
  });

  it('a feed.health-only rule does not match articles; feed health rules filter by state', () => {
    const health = rule({ events: ['feed.health'], healthStates: ['failing'] });
    expect(explainRule(health, sanctions).matched).toBe(false);
    const event = { type: 'feed.health' as const, id: 'e1', feedId: 'feed-a', feedName: 'Outlet A', state: 'failing' as const, previousState: 'ok' as const, reason: 'HTTP 500 five times', at: '2026-11-24T10:00:00Z' };
    expect(explainFeedHealthRule(health, event).matched).toBe(true);
    expect(explainFeedHealthRule(health, { ...event, state: 'degraded' }).matched).toBe(false);
    expect(explainFeedHealthRule(sanctionsRule(), event).matched).toBe(false);
  });
});

function sanctionsRule(): AlertRule {
  return rule({ labels: ['targeted-sanctions'] });
}

describe('alerts.yaml schema', () => {
  it('reports unknown endpoints, bad patterns and duplicate ids', () => {
    const result = alertsFileSchema.safeParse({
      endpoints: [
        { id: 'a', url: 'https://x.example', secret: SECRET },
        { id: 'a', url: 'https://y.example', secret: SECRET },
      ],
      rules: [{ id: 'r', endpoints: ['nope'], patterns: ['(unclosed'] }],
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages.some((m) => m.startsWith('endpoints.1.id: duplicate endpoint id'))).toBe(true);
    expect(messages.some((m) => m.startsWith('rules.0.endpoints.0: unknown endpoint "nope"'))).toBe(true);
    expect(messages.some((m) => m.startsWith('rules.0.patterns.0: invalid regular expression'))).toBe(true);
  });

  it('accepts two secrets for rotation but not three', () => {
    const ok = alertsFileSchema.safeParse({ endpoints: [{ id: 'a', url: 'https://x.example', secret: [SECRET, SECRET] }] });
    expect(ok.success).toBe(true);
    const bad = alertsFileSchema.safeParse({ endpoints: [{ id: 'a', url: 'https://x.example', secret: [SECRET, SECRET, SECRET] }] });
    expect(bad.success).toBe(false);
  });

  it('parses throttle, digest and dedupe windows as durations', () => {
    const r = rule({ throttle: { max: 3, window: '1h' }, dedupe: { window: '48h', mode: 'update' } });
    expect(r.throttle).toEqual({ max: 3, window: 3_600_000 });
    expect(r.dedupe).toMatchObject({ window: 172_800_000, mode: 'update', enabled: true });
  });
});
