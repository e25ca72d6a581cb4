import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FeedConfig } from '../domain/types.js';
import { alertReferenceIssues, alertReferencesOf, type AlertReferences } from './alert-references.js';
import type { SafeFetcherOptions } from '../fetch/safe-fetcher.js';
import { deepFreeze } from '../lib/deep-freeze.js';
import { shortHash } from '../lib/short-hash.js';
import { alertsFileSchema, type AlertsConfig } from './alerts-schema.js';
import { envSchema, type Env } from './env-schema.js';
import { feedsFileSchema } from './feeds-schema.js';
import { frameworkFileSchema, type Framework } from './framework-schema.js';
import { settingsFileSchema, type Settings } from './settings-schema.js';
import { ConfigError, formatPath, loadYamlFile, parseYamlText, readConfigText, type ConfigProblem } from './yaml-file.js';

/** What every safe fetcher is built with: settings.fetch, the private-network switch and the env proxies. */
export type FetcherConfig = Required<Pick<SafeFetcherOptions, 'allowPrivateNetworks' | 'userAgent' | 'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'proxy'>>;

/**
 * Everything framewatch is configured with, read once at start-up, with what is derived from it, and frozen
 * (a later assignment anywhere in it throws): a reload builds a new one.
 */
export interface AppConfig {
  configDir: string;
  env: Env;
  framework: Framework;
  feeds: FeedConfig[];
  alerts: AlertsConfig;
  settings: Settings;
  /** Paths of the files read, for reloads and messages. */
  files: { framework: string; feeds: string; alerts: string; settings: string };
  /** The API's base URL as others reach it (webhook links, JSON Feeds, OpenAPI): FRAMEWATCH_PUBLIC_URL or http://localhost:PORT. */
  publicUrl: string;
  /** The options of every outbound fetcher (feeds, pages, webhooks). */
  fetch: FetcherConfig;
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Overrides FRAMEWATCH_CONFIG. */
  configDir?: string;
  /** Overrides the feeds file (`scan --feeds FILE`). */
  feedsFile?: string;
  /** `--allow-private-networks`: allows them even when FRAMEWATCH_ALLOW_PRIVATE_NETWORKS does not. */
  allowPrivateNetworks?: boolean;
}

/**
 * Reads and validates the environment and every config file, collecting all problems before throwing one
 * ConfigError that lists them (file, line, field, message).
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const problems: ConfigProblem[] = [];
  const env = parseEnv(options.env ?? process.env, problems);
  const configDir = resolve(options.configDir ?? env.FRAMEWATCH_CONFIG);
  const files = {
    framework: join(configDir, 'framework.yaml'),
    feeds: options.feedsFile ? resolve(options.feedsFile) : join(configDir, 'feeds.yaml'),
    alerts: join(configDir, 'alerts.yaml'),
    settings: join(configDir, 'settings.yaml'),
  };

  const framework = collect(problems, () => loadFramework(files.framework));
  // A feeds file named on the command line must exist; config/feeds.yaml may be absent (no feeds yet).
  const feeds = collect(problems, () => (options.feedsFile ? loadFeedsFile(files.feeds) : loadOptional(files.feeds, feedsFileSchema, [])));
  // Rules are checked against the framework and the configured feeds; with another feeds file (`scan
  // --feeds`), rules may name feeds of config/feeds.yaml, so feed names are not checked then.
  const references = framework ? alertReferencesOf(framework, options.feedsFile ? null : feeds) : null;
  const alerts = collect(problems, () => loadAlertsFile(files.alerts, references));
  const settings = collect(problems, () => loadOptional(files.settings, settingsFileSchema, settingsFileSchema.parse({})));

  if (problems.length > 0 || !framework || !feeds || !alerts || !settings) throw new ConfigError(problems);
  return deepFreeze({ configDir, env, framework, feeds, alerts, settings, files, publicUrl: publicUrlOf(env), fetch: fetcherConfig(env, settings, options) });
}

function publicUrlOf(env: Env): string {
  return env.FRAMEWATCH_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

function fetcherConfig(env: Env, settings: Settings, options: LoadConfigOptions): FetcherConfig {
  return {
    allowPrivateNetworks: options.allowPrivateNetworks === true || env.FRAMEWATCH_ALLOW_PRIVATE_NETWORKS,
    userAgent: settings.fetch.userAgent,
    timeoutMs: settings.fetch.timeout,
    maxBytes: settings.fetch.maxBytes,
    maxRedirects: settings.fetch.maxRedirects,
    proxy: { http: env.HTTP_PROXY, https: env.HTTPS_PROXY, noProxy: env.NO_PROXY },
  };
}

/** Reads framework.yaml; its version is a hash of the file's bytes, so any edit makes a new version. */
export function loadFramework(file: string): Framework {
  const text = readConfigText(file);
  const parsed = parseYamlText(file, text, frameworkFileSchema);
  return { ...parsed, version: frameworkVersion(text) };
}

export function frameworkVersion(text: string): string {
  return `fw-${shortHash(text)}`;
}

export function loadFeedsFile(file: string): FeedConfig[] {
  return loadYamlFile(file, feedsFileSchema);
}

/** Reads alerts.yaml (absent: no rules); with references, rules naming unknown labels, groups or feeds are errors. */
export function loadAlertsFile(file: string, references: AlertReferences | null = null): AlertsConfig {
  if (!existsSync(file)) return { endpoints: [], rules: [] };
  return loadYamlFile(file, alertsFileSchema, references ? (alerts) => alertReferenceIssues(alerts, references) : undefined);
}

function loadOptional<T>(file: string, schema: Parameters<typeof parseYamlText>[2], fallback: T): T {
  if (!existsSync(file)) return fallback;
  return loadYamlFile(file, schema) as T;
}

/**
 * The environment, with a problem listed for each bad variable; the good ones are kept (a bad PORT must not
 * also lose FRAMEWATCH_CONFIG, or the config files' own problems would go unreported).
 */
function parseEnv(raw: Record<string, string | undefined>, problems: ConfigProblem[]): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  const bad = new Set<string>();
  for (const issue of result.error.issues) {
    problems.push({ file: 'environment', line: null, path: formatPath(issue.path as (string | number)[]), message: issue.message });
    if (typeof issue.path[0] === 'string') bad.add(issue.path[0]);
  }
  const kept = envSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key))));
  return kept.success ? kept.data : envSchema.parse({});
}

function collect<T>(problems: ConfigProblem[], fn: () => T): T | null {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      problems.push(...err.problems);
      return null;
    }
    throw err;
  }
}
