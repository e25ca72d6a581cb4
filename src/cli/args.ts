import type { AppConfig } from '../config/load-config.js';
import type { Framework } from '../config/framework-schema.js';
import { UsageError } from './context.js';

const list = (values: string[], max = 12): string => (values.length > max ? `${values.slice(0, max).join(', ')}, …` : values.join(', ')) || 'none';

/** An http(s) URL given on the command line, or a UsageError naming the flag. */
export function httpUrlArg(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag}: "${value}" is not a URL (expected http:// or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag}: only http and https URLs are fetched, not ${url.protocol.replace(/:$/, '')} (${value})`);
  return value;
}

/** Every id must be a label of the framework: an unknown one would silently match nothing. */
export function frameworkLabelsArg(flag: string, framework: Pick<Framework, 'labels'>, ids: string[] | undefined): void {
  const known = framework.labels.map((l) => l.id);
  const unknown = (ids ?? []).find((id) => !known.includes(id));
  if (unknown !== undefined) throw new UsageError(`${flag}: "${unknown}" is not a label of the framework (labels: ${list(known)})`);
}

export function frameworkGroupsArg(flag: string, framework: Pick<Framework, 'groups'>, ids: string[] | undefined): void {
  const known = framework.groups.map((g) => g.id);
  const unknown = (ids ?? []).find((id) => !known.includes(id));
  if (unknown !== undefined) throw new UsageError(`${flag}: "${unknown}" is not a group of the framework (groups: ${list(known)})`);
}

/** A webhook endpoint of alerts.yaml. */
export function endpointArg(flag: string, config: Pick<AppConfig, 'alerts' | 'files'>, id: string | undefined): void {
  if (id === undefined) return;
  const known = config.alerts.endpoints.map((e) => e.id);
  if (!known.includes(id)) throw new UsageError(`${flag}: "${id}" is not an endpoint in ${config.files.alerts} (endpoints: ${list(known)})`);
}
