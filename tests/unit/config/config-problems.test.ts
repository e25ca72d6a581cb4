import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { feedsFileSchema } from '../../../src/config/feeds-schema.js';
import { ConfigError, formatProblem, parseYamlText, type ConfigProblem } from '../../../src/config/yaml-file.js';

const FRAMEWORK = new URL('../../../config/framework.yaml', import.meta.url);

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fw-config-problems-'));
  copyFileSync(FRAMEWORK, join(dir, 'framework.yaml'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function problemsOf(fn: () => unknown): ConfigProblem[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const ENDPOINT = ['endpoints:', '  - id: analysts', '    url: https://hooks.example.org/fw', '    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'];

describe('configuration problems a newcomer meets', () => {
  it('PORT=eighty beside a bad feeds.yaml in FRAMEWATCH_CONFIG lists both (the bad variable does not lose the config folder)', () => {
    const dir = configDir({ 'feeds.yaml': 'feeds:\n  - url: https://example.org/feed\n    interval: soon\n' });
    const problems = problemsOf(() => loadConfig({ env: { PORT: 'eighty', FRAMEWATCH_CONFIG: dir } }));
    expect(problems.map(formatProblem)).toEqual([
      'environment: PORT: must be a port number (0 to 65535)',
      `${join(dir, 'feeds.yaml')}:3: feeds[0].interval: "soon" is not a duration (examples: 30s, 15m, 2h, 1d)`,
    ]);
  });

  it('a feed URL that is not a URL is a problem on its line, not a crash', () => {
    const problems = problemsOf(() => parseYamlText('feeds.yaml', 'feeds:\n  - url: notaurl\n', feedsFileSchema));
    expect(problems).toEqual([{ file: 'feeds.yaml', line: 2, path: 'feeds[0].url', message: 'must be an http(s) URL' }]);
  });

  it('a YAML syntax error is a whole sentence with its column, not a message ending in a colon', () => {
    const problems = problemsOf(() => parseYamlText('feeds.yaml', 'feeds:\n  - url: https://a.example/f\n    name: a\n  b: [\n', feedsFileSchema));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.message).toMatch(/^invalid YAML: .+ \(column \d+\)$/);
      expect(p.message).not.toMatch(/:$/);
    }
  });

  it('alert rules naming an unknown label, group or feed are errors with file, line and field', () => {
    const dir = configDir({
      'feeds.yaml': 'feeds:\n  - url: https://example.org/feed\n    name: Example\n',
      'alerts.yaml': [
        ...ENDPOINT,
        'rules:',
        '  - id: good',
        '    labels: [targeted-sanctions]',
        '    groups: [policy-focuses]',
        '    feeds: [Example]',
        '    endpoints: [analysts]',
        '  - id: typos',
        '    labels: [targeted-sanction]',
        '    groups: [policy-focus]',
        '    feeds: [Exampel]',
        '    endpoints: [analysts]',
      ].join('\n'),
    });
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: {} }));
    const file = join(dir, 'alerts.yaml');
    expect(problems.map((p) => [p.file, p.line, p.path])).toEqual([
      [file, 12, 'rules[1].labels[0]'],
      [file, 13, 'rules[1].groups[0]'],
      [file, 14, 'rules[1].feeds[0]'],
    ]);
    expect(problems[0]?.message).toMatch(/^unknown label "targeted-sanction" \(the framework's labels: .*targeted-sanctions/);
    expect(problems[1]?.message).toMatch(/^unknown group "policy-focus"/);
    expect(problems[2]?.message).toMatch(/^unknown feed "Exampel"/);
  });

  it('a feeds file named on the command line must exist (it does not silently mean "no feeds")', () => {
    const dir = configDir({});
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: {}, feedsFile: join(dir, 'missing.yaml') }));
    expect(problems).toEqual([{ file: join(dir, 'missing.yaml'), line: null, path: '', message: 'cannot read file: no such file' }]);
  });

  it('with another feeds file (scan --feeds), rules may still name the configured feeds', () => {
    const dir = configDir({
      'feeds.yaml': 'feeds:\n  - url: https://example.org/feed\n    name: Example\n',
      'other.yaml': 'feeds:\n  - url: https://other.example/feed\n',
      'alerts.yaml': [...ENDPOINT, 'rules:', '  - id: r', '    feeds: [Example]', '    endpoints: [analysts]'].join('\n'),
    });
    expect(loadConfig({ configDir: dir, env: {}, feedsFile: join(dir, 'other.yaml') }).alerts.rules).toHaveLength(1);
  });
});
