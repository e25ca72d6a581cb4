import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerClassifyCommand } from '../../../src/cli/commands/classify.js';
import { registerEvalCommand } from '../../../src/cli/commands/eval.js';
import { registerTrainCommand } from '../../../src/cli/commands/train.js';
import type { CliContext } from '../../../src/cli/context.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/obs/logger.js';
import { dev, devDataset, repoRoot } from '../../unit/classifiers/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'fw-classifier-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs one command with the given stdin; returns what it wrote to stdout. */
async function run(args: string[], stdin = ''): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ctx: CliContext = {
    loadConfig: () => loadConfig({ configDir: join(repoRoot, 'config'), env: {} }),
    logger: () => createLogger('silent'),
    createFetcher: () => {
      throw new Error('not used');
    },
    openDb: () => Promise.reject(new Error('not used')),
    stdout: out,
    stdin: Readable.from([stdin]),
  };
  const program = new Command('framewatch').exitOverride();
  registerClassifyCommand(program, ctx);
  registerEvalCommand(program, ctx);
  registerTrainCommand(program, ctx);
  await program.parseAsync(['node', 'framewatch', ...args]);
  return Buffer.concat(chunks).toString('utf8');
}

const SANCTIONS = {
  id: 's1',
  title: 'Treasury Imposes New Sanctions on Russia',
  text: 'The Treasury Department imposed new sanctions on Russia today, designating banks that fund the Kremlin’s war against Ukraine, and tightened export controls on Russia.',
};
const IRAN = { id: 'n1', title: 'Sanctions on Iran', text: 'The United States imposed sanctions on Iran’s oil sector and designated tankers carrying Iranian oil.' };
const SCIENCE = { id: 'n2', title: 'Volcano Watch', text: 'Aftershock forecasts tell residents what to expect after a large earthquake on the island.' };

describe('framewatch classify', () => {
  it('reads JSONL from stdin and writes one clean JSON line per article', async () => {
    const stdout = await run(['classify'], [SANCTIONS, IRAN].map((a) => JSON.stringify(a)).join('\n'));
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [s, n] = lines.map((l) => JSON.parse(l) as { id: string; labels: { id: string; evidence: unknown[]; groups: string[] }[]; relevance: number; framework: string; model: string });
    expect(s!.id).toBe('s1');
    expect(s!.labels.length).toBeGreaterThan(0);
    expect(s!.labels[0]!.evidence.length).toBeGreaterThan(0);
    expect(s!.framework).toMatch(/^fw-/);
    expect(s!.model).toMatch(/^m-/);
    expect(n!.labels).toEqual([]);
  });

  it('rejects a line without text, naming the line', async () => {
    await expect(run(['classify', '-'], `${JSON.stringify(SANCTIONS)}\n{"id":"x"}`)).rejects.toThrow(/-:2: text/);
  });
});

describe('framewatch eval', () => {
  it('scores a tiny hand-made file with hand-computed numbers', async () => {
    // Gold: s1 carries the sanctions label, the other two none. The model finds the sanctions label on s1 (and
    // possibly others), and nothing on the Iran and volcano texts, so: sanctions P = R = F1 = 1, no-label FP 0/2.
    const file = join(tmp, 'tiny.jsonl');
    const sanctionsId = 'targeted-sanctions';
    writeFileSync(file, [{ ...SANCTIONS, labels: [sanctionsId] }, { ...IRAN, labels: [] }, { ...SCIENCE, labels: [] }].map((a) => JSON.stringify(a)).join('\n'));
    const report = JSON.parse(await run(['eval', '--dataset', file, '--json'])) as {
      articles: number;
      perLabel: { label: string; precision: number; recall: number; f1: number; support: number; fp: number }[];
      noLabel: { articles: number; withAnyLabel: number; rate: number };
      micro: { recall: number };
    };
    expect(report.articles).toBe(3);
    const s = report.perLabel.find((l) => l.label === sanctionsId)!;
    expect([s.precision, s.recall, s.f1, s.support]).toEqual([1, 1, 1, 1]);
    expect(report.noLabel).toEqual({ articles: 2, withAnyLabel: 0, rate: 0 });
    // Every other label has support 0; the only possible errors are extra labels on s1, counted as fp.
    const extra = report.perLabel.filter((l) => l.label !== sanctionsId).reduce((n, l) => n + l.fp, 0);
    expect(report.micro.recall).toBe(1);
    expect(extra).toBeLessThanOrEqual(2);
  });

  it('prints per-language figures of a tiny hand-computed file with languages', async () => {
    // en: s1 (sanctions on Russia, gold sanctions) and the Iran release (gold none): the model finds the
    // sanctions label on s1 and nothing on the Iran text (as above) → en micro recall 1, no-label 0/1.
    // de: a text about a museum, gold none, out of the framework's context → no label: 0/1.
    // fr: a text about a cheese fair deliberately given the sanctions label as gold: out of context, so the
    // model gives nothing → fr micro P = R = 0, macro-F1 0 (one label counted, F1 0).
    const file = join(tmp, 'langs.jsonl');
    const de = { id: 'd1', lang: 'de', title: 'Museum öffnet neuen Saal', text: 'Das Stadtmuseum zeigt ab Samstag Gemälde aus dem 19. Jahrhundert. Der neue Saal ist täglich von zehn bis achtzehn Uhr geöffnet.', labels: [] };
    const fr = { id: 'f1', lang: 'fr', title: 'Foire aux fromages', text: 'La foire aux fromages de la ville accueille cette année quarante producteurs. Les visiteurs pourront goûter des fromages de chèvre et de brebis.', labels: ['targeted-sanctions'] };
    writeFileSync(file, [{ ...SANCTIONS, lang: 'en', labels: ['targeted-sanctions'] }, { ...IRAN, lang: 'en', labels: [] }, de, fr].map((a) => JSON.stringify(a)).join('\n'));
    type Row = { lang: string; articles: number; macroF1: number; micro: { precision: number; recall: number }; noLabel: { articles: number; withAnyLabel: number } };
    const report = JSON.parse(await run(['eval', '--dataset', file, '--json'])) as { byLanguage: Row[] };
    const by = new Map(report.byLanguage.map((r) => [r.lang, r]));
    expect(report.byLanguage.map((r) => r.lang)).toEqual(['en', 'de', 'fr']);
    expect(by.get('en')!.articles).toBe(2);
    expect(by.get('en')!.micro.recall).toBe(1);
    expect(by.get('en')!.noLabel).toEqual({ articles: 1, withAnyLabel: 0, rate: 0 });
    expect(by.get('de')!.noLabel).toEqual({ articles: 1, withAnyLabel: 0, rate: 0 });
    expect(by.get('fr')!).toMatchObject({ articles: 1, macroF1: 0, micro: { precision: 0, recall: 0 } });
    const text = await run(['eval', '--dataset', file]);
    expect(text).toMatch(/^lang\s+texts\s+macro-F1\s+micro-P\s+micro-R\s+no-label given a label$/m);
    expect(text).toMatch(/^de\s+1\s+0\.000\s+0\.000\s+0\.000\s+0\/1 \(0\.0%\)$/m);
    expect(text).toMatch(/^fr\s+1\s+0\.000\s+0\.000\s+0\.000\s+0\/0 \(0\.0%\)$/m);
  });

  it.skipIf(!dev.present)('cross-validates with extra training files that are never scored, and refuses one that shares an article', async () => {
    const lines = readFileSync(devDataset, 'utf8').split('\n').filter((l) => l.trim() !== '');
    const scored = join(tmp, 'scored.jsonl');
    const extraFile = join(tmp, 'extra.jsonl');
    writeFileSync(scored, lines.filter((_, i) => i % 2 === 0).join('\n'));
    writeFileSync(extraFile, lines.filter((_, i) => i % 2 === 1).join('\n'));
    type Report = { articles: number; mode: string };
    const withExtra = JSON.parse(await run(['eval', '--dataset', scored, '--folds', '3', '--train-extra', extraFile, '--json'])) as Report;
    expect(withExtra.articles).toBe(35);
    expect(withExtra.mode).toMatch(/3-fold cross-validation, 35 extra training articles from .*extra\.jsonl/);
    const alone = JSON.parse(await run(['eval', '--dataset', scored, '--folds', '3', '--dataset-only', '--json'])) as Report;
    expect(alone.mode).toBe('3-fold cross-validation');
    await expect(run(['eval', '--dataset', scored, '--folds', '3', '--train-extra', scored])).rejects.toThrow(/is also in .*scored\.jsonl/);
  });

  it('rejects a dataset with labels the framework does not have', async () => {
    const file = join(tmp, 'bad.jsonl');
    writeFileSync(file, JSON.stringify({ id: 'a', title: 't', text: 'x', labels: ['no-such-label'] }));
    await expect(run(['eval', '--dataset', file])).rejects.toThrow(/no-such-label/);
  });
});

describe('framewatch train', () => {
  it.skipIf(!dev.present)('trains, saves under the content hash, activates and reports cross-validated scores', async () => {
    const dir = join(tmp, 'models');
    const subset = join(tmp, 'subset.jsonl');
    writeFileSync(subset, readFileSync(devDataset, 'utf8').split('\n').filter((_, i) => i % 3 === 0).join('\n'));
    const out = JSON.parse(await run(['train', '--dataset', subset, '--folds', '3', '--models-dir', dir, '--json'])) as { version: string; activated: boolean; report: { articles: number } };
    expect(out.version).toMatch(/^m-[0-9a-f]{12}$/);
    expect(out.activated).toBe(true);
    expect(out.report.articles).toBe(24);
    expect((JSON.parse(readFileSync(join(dir, 'active.json'), 'utf8')) as { version: string }).version).toBe(out.version);
  });

  it.skipIf(!dev.present)('says when the previous and the new scores were cross-validated on different article sets', async () => {
    const dir = join(tmp, 'models-compare');
    const lines = readFileSync(devDataset, 'utf8').split('\n');
    const small = join(tmp, 'small.jsonl');
    const large = join(tmp, 'large.jsonl');
    writeFileSync(small, lines.filter((_, i) => i % 3 === 0).join('\n'));
    writeFileSync(large, lines.filter((_, i) => i % 2 === 0).join('\n'));
    const first = await run(['train', '--dataset', small, '--folds', '3', '--models-dir', dir]);
    expect(first).toMatch(/previous none → new/);
    expect(first).not.toMatch(/previous scored on/);
    const second = await run(['train', '--dataset', large, '--folds', '3', '--models-dir', dir]);
    expect(second).toMatch(/previous scored on 24 articles, new on 35: compare both on one file/);
  });
});
