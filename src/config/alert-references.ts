import type { AlertsConfig } from './alerts-schema.js';
import type { Framework } from './framework-schema.js';
import type { FeedConfig } from '../domain/types.js';

/** What alert rules may name: the framework's labels and groups, and the configured feeds (ids or names). */
export interface AlertReferences {
  labels: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /** null: the feeds are not known here (another feeds file was given), so feed names are not checked. */
  feeds: ReadonlySet<string> | null;
}

export function alertReferencesOf(framework: Pick<Framework, 'labels' | 'groups'>, feeds: Pick<FeedConfig, 'id' | 'name'>[] | null): AlertReferences {
  return {
    labels: new Set(framework.labels.map((l) => l.id)),
    groups: new Set(framework.groups.map((g) => g.id)),
    feeds: feeds ? new Set(feeds.flatMap((f) => [f.id, f.name])) : null,
  };
}

/** One problem located by its path in alerts.yaml (the loader turns it into file:line). */
export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

const list = (values: Iterable<string>, max = 12): string => {
  const all = [...values];
  return all.length > max ? `${all.slice(0, max).join(', ')}, …` : all.join(', ');
};

/**
 * Names in alert rules that match nothing: such a rule validates and then never fires, so it is a
 * configuration error (endpoints are checked by the schema itself).
 */
export function alertReferenceIssues(alerts: AlertsConfig, refs: AlertReferences): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  alerts.rules.forEach((rule, i) => {
    rule.labels.forEach((label, j) => {
      if (!refs.labels.has(label)) issues.push({ path: ['rules', i, 'labels', j], message: `unknown label "${label}" (the framework's labels: ${list(refs.labels)})` });
    });
    rule.groups.forEach((group, j) => {
      if (!refs.groups.has(group)) issues.push({ path: ['rules', i, 'groups', j], message: `unknown group "${group}" (the framework's groups: ${list(refs.groups)})` });
    });
    const feeds = refs.feeds;
    if (feeds) {
      rule.feeds.forEach((feed, j) => {
        if (!feeds.has(feed)) issues.push({ path: ['rules', i, 'feeds', j], message: `unknown feed "${feed}": no feed in feeds.yaml has this id or name` });
      });
    }
  });
  return issues;
}
