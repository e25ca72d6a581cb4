import type { AlertRule } from '../config/alerts-schema.js';
import type { ArticleRecord, StoredLabel } from '../domain/types.js';
import type { FeedHealthAlertEvent } from './feed-health-event.js';

/** A rule with its keywords and patterns compiled once per config load. */
export interface CompiledRule {
  rule: AlertRule;
  keywords: { source: string; re: RegExp }[];
  patterns: { source: string; re: RegExp }[];
}

/** What a rule needs to know beyond the article: the tags of each configured feed. */
export interface MatchContext {
  feedTags(feedId: string): string[];
}

export const noFeedTags: MatchContext = { feedTags: () => [] };

/** One condition of a rule and how the article fared against it. */
export interface RuleCheck {
  check: 'event' | 'labels' | 'direction' | 'feeds' | 'feedTags' | 'language' | 'keywords' | 'healthState';
  passed: boolean;
  detail: string;
}

/** Whether and why a rule matches (`framewatch alerts test RULE --article ID`). */
export interface RuleExplanation {
  ruleId: string;
  matched: boolean;
  /** The labels that satisfied the rule's label condition (all qualifying labels when the rule names none). */
  matchedLabels: string[];
  checks: RuleCheck[];
}

const SNIPPET_RADIUS = 40;
/** Keywords and patterns look at this much of the text: bounds the cost of a costly pattern on a huge page. */
const MAX_SEARCH_CHARS = 100_000;

export function compileRule(rule: AlertRule): CompiledRule {
  return {
    rule,
    // Whole words or phrases: not preceded or followed by a letter or digit, any run of spaces between words.
    keywords: rule.keywords.map((k) => ({
      source: k,
      re: new RegExp(`(?<![\\p{L}\\p{N}])${k.trim().split(/\s+/).map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu'),
    })),
    patterns: rule.patterns.map((p) => ({ source: p, re: new RegExp(p, 'iu') })),
  };
}

/** Every condition of the rule checked against the article; the rule matches when all pass. */
export function explainRule(compiled: CompiledRule | AlertRule, article: ArticleRecord, ctx: MatchContext = noFeedTags): RuleExplanation {
  const c = 'rule' in compiled ? compiled : compileRule(compiled);
  const { rule } = c;
  const checks: RuleCheck[] = [];
  checks.push({ check: 'event', passed: rule.events.includes('article'), detail: `rule listens to ${rule.events.join(', ')}` });

  const labels = usableLabels(article.labels, rule.minScore);
  const labelCheck = checkLabels(rule, labels);
  checks.push(labelCheck.check);

  if (rule.direction.length > 0) {
    const pool = labelCheck.labels.length > 0 ? labelCheck.labels : labels;
    const hit = pool.find((l) => l.direction && rule.direction.includes(l.direction));
    checks.push({
      check: 'direction',
      passed: hit !== undefined,
      detail: hit ? `${hit.id} is ${hit.direction}` : `no label with direction ${rule.direction.join(' or ')} (${describeDirections(pool)})`,
    });
  }
  const feedIds = article.sightings.map((s) => s.feedId);
  if (rule.feeds.length > 0) checks.push(checkFeeds(rule.feeds, article));
  if (rule.feedTags.length > 0) {
    const tags = new Set(feedIds.flatMap((id) => ctx.feedTags(id)));
    const hit = rule.feedTags.filter((t) => tags.has(t));
    checks.push({ check: 'feedTags', passed: hit.length > 0, detail: hit.length > 0 ? `feed tag ${hit.join(', ')}` : `feeds tagged ${[...tags].join(', ') || '(none)'}` });
  }
  if (rule.languages.length > 0) checks.push(checkLanguage(rule.languages, article.lang));
  if (c.keywords.length + c.patterns.length > 0) checks.push(checkText(c, article));

  return { ruleId: rule.id, matched: checks.every((k) => k.passed), matchedLabels: labelCheck.labels.map((l) => l.id), checks };
}

/** Whether a feed health change fires a rule (rules listening to `feed.health`, filtered by state and feed). */
export function explainFeedHealthRule(compiled: CompiledRule | AlertRule, event: FeedHealthAlertEvent, ctx: MatchContext = noFeedTags): RuleExplanation {
  const rule = 'rule' in compiled ? compiled.rule : compiled;
  const checks: RuleCheck[] = [{ check: 'event', passed: rule.events.includes('feed.health'), detail: `rule listens to ${rule.events.join(', ')}` }];
  if (rule.healthStates.length > 0) {
    checks.push({ check: 'healthState', passed: rule.healthStates.includes(event.state), detail: `feed is ${event.state}; rule wants ${rule.healthStates.join(' or ')}` });
  }
  if (rule.feeds.length > 0) {
    const wanted = new Set(rule.feeds.map((f) => f.toLowerCase()));
    const passed = wanted.has(event.feedId.toLowerCase()) || wanted.has(event.feedName.toLowerCase());
    checks.push({ check: 'feeds', passed, detail: `feed ${event.feedName} (${event.feedId})` });
  }
  if (rule.feedTags.length > 0) {
    const tags = ctx.feedTags(event.feedId);
    const hit = rule.feedTags.filter((t) => tags.includes(t));
    checks.push({ check: 'feedTags', passed: hit.length > 0, detail: `feed tags ${tags.join(', ') || '(none)'}` });
  }
  return { ruleId: rule.id, matched: checks.every((k) => k.passed), matchedLabels: [], checks };
}

/** Labels a rule may match: not rejected by a reviewer, and scoring at least the rule's minimum. */
function usableLabels(labels: StoredLabel[], minScore: number): StoredLabel[] {
  return labels.filter((l) => l.review !== 'rejected' && l.score >= minScore);
}

function checkLabels(rule: AlertRule, labels: StoredLabel[]): { check: RuleCheck; labels: StoredLabel[] } {
  const fmt = (ls: StoredLabel[]) => ls.map((l) => `${l.id} ${l.score.toFixed(2)}`).join(', ');
  const floor = rule.minScore > 0 ? ` at or above ${rule.minScore}` : '';
  if (rule.labels.length === 0 && rule.groups.length === 0) {
    return { check: { check: 'labels', passed: true, detail: `rule names no labels or groups (labels${floor}: ${fmt(labels) || 'none'})` }, labels };
  }
  const byLabel = labels.filter((l) => rule.labels.includes(l.id));
  const byGroup = labels.filter((l) => l.groups.some((g) => rule.groups.includes(g)));
  if (rule.labelMatch === 'all') {
    const missing = rule.labels.filter((id) => !labels.some((l) => l.id === id));
    const groupsOk = rule.groups.length === 0 || byGroup.length > 0;
    const passed = missing.length === 0 && groupsOk;
    const matched = dedupeLabels([...byLabel, ...byGroup]);
    const detail = passed
      ? `all of ${rule.labels.join(', ') || '(no labels)'}${rule.groups.length ? ` and a label of ${rule.groups.join(', ')}` : ''}${floor}: ${fmt(matched)}`
      : `missing${floor}: ${[...missing, ...(groupsOk ? [] : [`any label of ${rule.groups.join(', ')}`])].join(', ')}`;
    return { check: { check: 'labels', passed, detail }, labels: passed ? matched : [] };
  }
  const matched = dedupeLabels([...byLabel, ...byGroup]);
  const wanted = [...rule.labels, ...rule.groups.map((g) => `group ${g}`)].join(', ');
  return {
    check: {
      check: 'labels',
      passed: matched.length > 0,
      detail: matched.length > 0 ? `${fmt(matched)} (wanted any of ${wanted}${floor})` : `none of ${wanted}${floor} (article has ${fmt(usableLabels(labels, 0)) || 'no labels'})`,
    },
    labels: matched,
  };
}

function checkFeeds(feeds: string[], article: ArticleRecord): RuleCheck {
  const wanted = new Set(feeds.map((f) => f.toLowerCase()));
  const hit = article.sightings.find((s) => wanted.has(s.feedId.toLowerCase()) || wanted.has(s.feedName.toLowerCase()));
  return {
    check: 'feeds',
    passed: hit !== undefined,
    detail: hit ? `seen in ${hit.feedName}` : `seen in ${article.sightings.map((s) => s.feedName).join(', ') || '(no feed)'}`,
  };
}

function checkLanguage(languages: string[], lang: string | null): RuleCheck {
  const l = (lang ?? '').toLowerCase();
  const passed = l !== '' && languages.some((w) => l === w.toLowerCase() || l.startsWith(`${w.toLowerCase()}-`));
  return { check: 'language', passed, detail: `article language ${lang ?? 'unknown'}; rule wants ${languages.join(', ')}` };
}

function checkText(c: CompiledRule, article: ArticleRecord): RuleCheck {
  const fields: { name: string; text: string }[] = [];
  if (c.rule.searchIn.includes('title')) fields.push({ name: 'title', text: article.title });
  // After retention drops the text, the feed's summary is what is left to search.
  if (c.rule.searchIn.includes('text')) fields.push({ name: 'text', text: (article.text ?? article.summary).slice(0, MAX_SEARCH_CHARS) });
  for (const { source, re } of [...c.keywords, ...c.patterns]) {
    for (const f of fields) {
      const m = re.exec(f.text);
      if (m) return { check: 'keywords', passed: true, detail: `"${source}" in ${f.name}: …${snippet(f.text, m.index, m[0].length)}…` };
    }
  }
  const all = [...c.keywords, ...c.patterns].map((k) => k.source).join(', ');
  return { check: 'keywords', passed: false, detail: `none of ${all} in ${c.rule.searchIn.join(' or ')}` };
}

function snippet(text: string, index: number, length: number): string {
  return text.slice(Math.max(0, index - SNIPPET_RADIUS), index + length + SNIPPET_RADIUS).replace(/\s+/g, ' ');
}

function dedupeLabels(labels: StoredLabel[]): StoredLabel[] {
  const seen = new Set<string>();
  return labels.filter((l) => (seen.has(l.id) ? false : (seen.add(l.id), true)));
}

function describeDirections(labels: StoredLabel[]): string {
  const ds = labels.filter((l) => l.direction).map((l) => `${l.id} ${l.direction}`);
  return ds.length > 0 ? ds.join(', ') : 'no direction on the labels';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
