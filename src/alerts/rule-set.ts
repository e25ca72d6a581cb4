import type { AlertEndpoint, AlertsConfig } from '../config/alerts-schema.js';
import { shortHash } from '../lib/short-hash.js';
import { compileRule, type CompiledRule } from './rule-matcher.js';

/** One validated `alerts.yaml`, compiled: what the alert and deliver stages read (swapped whole on reload). */
export interface AlertRuleSet {
  config: AlertsConfig;
  rules: CompiledRule[];
  endpoints: Map<string, AlertEndpoint>;
  /** Short hash of the config, for logs ("rules v… loaded"). */
  version: string;
}

export function compileRuleSet(config: AlertsConfig): AlertRuleSet {
  return {
    config,
    rules: config.rules.map(compileRule),
    endpoints: new Map(config.endpoints.map((e) => [e.id, e])),
    version: shortHash(config),
  };
}
