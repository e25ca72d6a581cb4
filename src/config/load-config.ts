import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FeedConfig } from '../domain/types.js';
import { shortHash } from '../lib/short-hash.js';
import { alertsFileSchema, type AlertsConfig } from './alerts-schema.js';
import { envSchema, type Env } from './env-schema.js';
import { feedsFileSchema } from './feeds-schema.js';
import { frameworkFileSchema, type Framework } from './framework-schema.js';
import { settingsFileSchema, type Settings } from './settings-schema.js';
import { ConfigError, formatPath, loadYamlFile, parseYamlText, readConfigText, type ConfigProblem } from './yaml-file.js';

/** Everything framewatch is configured with, read once at start-up. */
export interface AppConfig {
  configDir: string;
  env: Env;
  framework: Framework;
  feeds: FeedConfig[];
  alerts: AlertsConfig;
  settings: Settings;
  /** Paths of the files read, for reloads and messages. */
  files: { framework: string; feeds: string; alerts: string; settings: string };
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Overrides FRAMEWATCH_CONFIG. */
  configDir?: string;
  /** Overrides the feeds file (`scan --feeds FILE`). */
  feedsFile?: string;
}

/**
 * Reads and validates the environment and every config file, collecting all problems before throwing one
 * ConfigError that lists them (file, line, field, message).
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const problems: ConfigProblem[] = [];
  const envResult = envSchema.safeParse(options.env ?? process.env);
  if (!envResult.success) {
    for (const issue of envResult.error.issues) {
      problems.push({ file: 'environment', line: null, path: formatPath(issue.path as (string | number)[]), message: issue.message });
    }
  }
  const env = envResult.success ? envResult.data : envSchema.parse({});
  const configDir = resolve(options.configDir ?? env.FRAMEWATCH_CONFIG);
  const files = {
    framework: join(configDir, 'framework.yaml'),
    feeds: options.feedsFile ? resolve(options.feedsFile) : join(configDir, 'feeds.yaml'),
    alerts: join(configDir, 'alerts.yaml'),
    settings: join(configDir, 'settings.yaml'),
  };

  const framework = collect(problems, () => loadFramework(files.framework));
  const feeds = collect(problems, () => loadOptional(files.feeds, feedsFileSchema, []));
  const alerts = collect(problems, () => loadOptional(files.alerts, alertsFileSchema, { endpoints: [], rules: [] }));
  const settings = collect(problems, () => loadOptional(files.settings, settingsFileSchema, settingsFileSchema.parse({})));

  if (problems.length > 0 || !framework || !feeds || !alerts || !settings) throw new ConfigError(problems);
  return { configDir, env, framework, feeds, alerts, settings, files };
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

export function loadAlertsFile(file: string): AlertsConfig {
  return loadOptional(file, alertsFileSchema, { endpoints: [], rules: [] });
}

function loadOptional<T>(file: string, schema: Parameters<typeof parseYamlText>[2], fallback: T): T {
  if (!existsSync(file)) return fallback;
  return loadYamlFile(file, schema) as T;
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
