import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { alertReferencesOf } from '../../../src/config/alert-references.js';
import { loadAlertsFile, loadFramework } from '../../../src/config/load-config.js';
import { AlertRuleRegistry } from '../../../src/alerts/rule-registry.js';
import { explainRule } from '../../../src/alerts/rule-matcher.js';
import { waitFor } from '../../helpers/wait-for.js';
import { makeArticle } from './article-factory.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const dirs: string[] = [];
const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((s) => s());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function setup(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'fw-alerts-'));
  dirs.push(dir);
  const file = join(dir, 'alerts.yaml');
  writeFileSync(file, text);
  const logs: { msg: string; problems?: string[] }[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => (logs.push(JSON.parse(String(chunk))), cb()) }));
  const registry = new AlertRuleRegistry(file, loadAlertsFile(file), logger);
  return { file, registry, logs };
}

const yaml = (labels: string) => `endpoints:
  - id: hook
    url: https://hooks.example/x
    secret: ${SECRET}
rules:
  - id: watch
    labels: [${labels}]
    endpoints: [hook]
`;

const article = makeArticle({ labelSpecs: [{ id: 'cybersecurity', score: 0.7, groups: ['aspects'] }] });
const matches = (r: AlertRuleRegistry) => r.current().rules.some((c) => explainRule(c, article).matched);

describe('alert rules reload', () => {
  it('an edit naming a label the framework does not have keeps the previous rules and logs file:line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-alerts-'));
    dirs.push(dir);
    const file = join(dir, 'alerts.yaml');
    writeFileSync(file, yaml('cybersecurity'));
    const logs: { msg: string; problems?: string[] }[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => (logs.push(JSON.parse(String(chunk))), cb()) }));
    const refs = alertReferencesOf(loadFramework('config/framework.yaml'), []);
    const registry = new AlertRuleRegistry(file, loadAlertsFile(file, refs), logger, () => refs);
    writeFileSync(file, yaml('cybersecurity, cyber-security'));
    expect(registry.reload()).toBe(false);
    expect(matches(registry)).toBe(true);
    expect(logs.at(-1)?.problems).toEqual([expect.stringMatching(/alerts\.yaml:7: rules\[0\]\.labels\[1\]: unknown label "cyber-security"/)]);
  });

  it('a rule edit takes effect without a restart (file watch)', async () => {
    const { file, registry } = setup(yaml('targeted-sanctions'));
    stops.push(registry.watch(50));
    expect(matches(registry)).toBe(false);
    writeFileSync(file, yaml('targeted-sanctions, cybersecurity'));
    await waitFor(() => matches(registry), { timeoutMs: 10_000, what: 'the edited rule to be in force' });
  });

  it('a bad edit keeps the previous rules and logs file:line', async () => {
    const { file, registry, logs } = setup(yaml('cybersecurity'));
    const before = registry.current().version;
    writeFileSync(file, yaml('cybersecurity').replace('endpoints: [hook]', 'endpoints: [nowhere]'));
    expect(registry.reload()).toBe(false);
    expect(registry.current().version).toBe(before);
    expect(matches(registry)).toBe(true);
    const entry = logs.find((l) => l.msg.includes('keeping the previous rules'));
    expect(entry?.problems?.[0]).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8: rules\\[0\\]\\.endpoints\\[0\\]: unknown endpoint "nowhere"`));
    writeFileSync(file, 'rules: [ {');
    expect(registry.reload()).toBe(false);
    expect(logs.filter((l) => l.msg.includes('keeping the previous rules')).at(-1)?.problems?.[0]).toContain('invalid YAML');
  });

  it('SIGHUP reloads too', async () => {
    const { file, registry } = setup(yaml('targeted-sanctions'));
    stops.push(registry.watch(20));
    writeFileSync(file, yaml('cybersecurity'));
    process.emit('SIGHUP', 'SIGHUP');
    await waitFor(() => matches(registry), { timeoutMs: 10_000, what: 'reload on SIGHUP' });
  });

  it('the example config/alerts.yaml is valid, and so is its commented example once uncommented', () => {
    expect(loadAlertsFile('config/alerts.yaml')).toMatchObject({ endpoints: [], rules: [] });
    const lines = readFileSync('config/alerts.yaml', 'utf8').split('\n');
    const from = lines.findIndex((l) => l.startsWith('# --- example'));
    const to = lines.findIndex((l) => l.startsWith('# --- end of example'));
    const text = lines
      .slice(from + 1, to)
      .map((l) => l.replace(/^# ?/, ''))
      .join('\n')
      .replace(/whsec_REPLACE_WITH_YOUR_SECRET_BASE64=/g, SECRET);
    const { file } = setup(text);
    const config = loadAlertsFile(file);
    expect(config.rules.map((r) => r.id)).toEqual(['new-sanctions', 'energy-digest', 'feeds-failing']);
    expect(config.endpoints.map((e) => e.format)).toEqual(['json', 'slack']);
  });
});
