/**
 * `npm run bench:classify`: model load time and classification time per article on the dev set texts
 * (median and p90 over several passes, after a warm-up pass). Goals: ≤ 5 ms per article, load ≤ 1 s.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { readDataset } from '../src/classifiers/dataset.js';
import { loadClassifier } from '../src/classifiers/load-classifier.js';
import { defaultDevDataset, packageRoot } from '../src/classifiers/model-registry.js';
import { loadFramework } from '../src/config/load-config.js';

const PASSES = 5;
const dataset = process.argv[2] ?? defaultDevDataset();
if (!existsSync(dataset)) throw new Error(`dataset not found: ${dataset}`);
const examples = readDataset(dataset);

const t0 = performance.now();
const framework = loadFramework(`${packageRoot()}/config/framework.yaml`);
const classifier = await loadClassifier(framework);
const loadMs = performance.now() - t0;

// First pass with an empty stem cache: what a freshly started worker pays for words it has not seen yet.
const cold: number[] = [];
for (const e of examples) {
  const s = performance.now();
  classifier.classify(e);
  cold.push(performance.now() - s);
}
cold.sort((a, b) => a - b);
const times: number[] = [];
for (let p = 0; p < PASSES; p++) {
  for (const e of examples) {
    const s = performance.now();
    classifier.classify(e);
    times.push(performance.now() - s);
  }
}
times.sort((a, b) => a - b);
const quantile = (xs: number[], x: number): number => xs[Math.min(xs.length - 1, Math.floor(x * xs.length))] ?? NaN;
const q = (x: number): number => quantile(times, x);
const chars = examples.reduce((s, e) => s + e.text.length, 0) / examples.length;
console.log(`model ${classifier.model}, framework ${classifier.framework}`);
console.log(`load (framework + model): ${loadMs.toFixed(1)} ms (goal ≤ 1000 ms)`);
console.log(`classify: ${examples.length} articles × ${PASSES} passes, mean ${chars.toFixed(0)} chars`);
console.log(`  median ${q(0.5).toFixed(3)} ms, p90 ${q(0.9).toFixed(3)} ms, max ${(times[times.length - 1] ?? NaN).toFixed(3)} ms per article (goal ≤ 5 ms)`);
console.log(`  first pass, cold stem cache: median ${quantile(cold, 0.5).toFixed(3)} ms, p90 ${quantile(cold, 0.9).toFixed(3)} ms`);
console.log(`  (load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores while measuring)`);
