/**
 * `npm run bench:classify [FILE.jsonl ...]`: model load time and classification time per article (median and
 * p90 over several passes, after a warm-up pass), overall and per language. Default texts: the dev set and
 * data/training/*.jsonl (every language the corpus has). Goals: ≤ 5 ms per article (p90), load ≤ 1 s.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { readDataset, type LabelledExample } from '../src/classifiers/dataset.js';
import { loadClassifier } from '../src/classifiers/load-classifier.js';
import { defaultDevDataset, packageRoot, shippedTrainingFiles } from '../src/classifiers/model-registry.js';
import { loadFramework } from '../src/config/load-config.js';

const PASSES = 5;
const files = process.argv.length > 2 ? process.argv.slice(2) : [defaultDevDataset(), ...shippedTrainingFiles()];
const examples: LabelledExample[] = [];
for (const f of files) {
  if (!existsSync(f)) throw new Error(`dataset not found: ${f}`);
  for (const e of readDataset(f)) examples.push(e);
}

const t0 = performance.now();
const framework = loadFramework(`${packageRoot()}/config/framework.yaml`);
const classifier = await loadClassifier(framework);
const loadMs = performance.now() - t0;

// First pass with an empty stem cache: what a freshly started worker pays for words it has not seen yet.
const cold: number[] = [];
const langOf: string[] = [];
for (const e of examples) {
  const s = performance.now();
  const c = classifier.classify(e);
  cold.push(performance.now() - s);
  langOf.push(e.lang ?? c.lang ?? 'und');
}
const times: number[] = [];
const byLang = new Map<string, number[]>();
for (let p = 0; p < PASSES; p++) {
  examples.forEach((e, i) => {
    const s = performance.now();
    classifier.classify(e);
    const ms = performance.now() - s;
    times.push(ms);
    const lang = langOf[i] as string;
    const list = byLang.get(lang) ?? [];
    list.push(ms);
    byLang.set(lang, list);
  });
}
const quantile = (xs: number[], x: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(x * xs.length))] ?? NaN;
const chars = examples.reduce((s, e) => s + e.text.length, 0) / examples.length;
console.log(`model ${classifier.model}, framework ${classifier.framework}`);
console.log(`load (framework + model): ${loadMs.toFixed(1)} ms (goal ≤ 1000 ms)`);
console.log(`classify: ${examples.length} articles × ${PASSES} passes, mean ${chars.toFixed(0)} chars`);
console.log(`  median ${quantile(times, 0.5).toFixed(3)} ms, p90 ${quantile(times, 0.9).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms per article (goal ≤ 5 ms)`);
console.log(`  first pass, cold stem cache: median ${quantile(cold, 0.5).toFixed(3)} ms, p90 ${quantile(cold, 0.9).toFixed(3)} ms`);
for (const [lang, xs] of [...byLang].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`  ${lang}: ${xs.length / PASSES} articles, median ${quantile(xs, 0.5).toFixed(3)} ms, p90 ${quantile(xs, 0.9).toFixed(3)} ms`);
}
console.log(`  (load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores while measuring)`);
