import { loadAlertsFile } from '../config/load-config.js';
import { ConfigError, formatProblem } from '../config/yaml-file.js';
import type { AlertsConfig } from '../config/alerts-schema.js';
import type { AlertReferences } from '../config/alert-references.js';
import type { Logger } from '../obs/logger.js';
import { watchConfigFile } from '../config/watch-file.js';
import { compileRuleSet, type AlertRuleSet } from './rule-set.js';

/**
 * The current alert rules, reloaded from `alerts.yaml` without a restart (file watch and SIGHUP). A reload
 * is a validated swap: an edit that does not parse or validate keeps the previous rules and logs each
 * problem as file:line. Stages call `current()` per job, so a job sees one whole rule set.
 */
export class AlertRuleRegistry {
  private set: AlertRuleSet;
  private readonly listeners: ((set: AlertRuleSet) => void)[] = [];

  constructor(
    private readonly file: string,
    initial: AlertsConfig,
    private readonly logger: Logger,
    /** What rules may name (labels, groups, feeds), as of each reload; none: names are not checked. */
    private readonly references: () => AlertReferences | null = () => null,
  ) {
    this.set = compileRuleSet(initial);
  }

  current(): AlertRuleSet {
    return this.set;
  }

  /** Re-reads the file; true when the new rules are now in use. */
  reload(): boolean {
    let next: AlertRuleSet;
    try {
      next = compileRuleSet(loadAlertsFile(this.file, this.references()));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.logger.error({ file: this.file, problems: err.problems.map(formatProblem), keeping: this.set.version }, 'alerts.yaml is invalid: keeping the previous rules');
      return false;
    }
    if (next.version === this.set.version) return true;
    const previous = this.set.version;
    this.set = next;
    this.logger.info({ file: this.file, version: next.version, previous, rules: next.rules.length, endpoints: next.endpoints.size }, 'alert rules reloaded');
    for (const l of this.listeners) l(next);
    return true;
  }

  onChange(listener: (set: AlertRuleSet) => void): void {
    this.listeners.push(listener);
  }

  /** Follows edits of the file (and SIGHUP); returns the function that stops watching. */
  watch(debounceMs?: number): () => void {
    return watchConfigFile(this.file, () => void this.reload(), debounceMs);
  }
}
