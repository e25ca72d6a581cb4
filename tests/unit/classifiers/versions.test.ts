import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameworkExamples, readDataset } from '../../../src/classifiers/dataset.js';
import { loadClassifier } from '../../../src/classifiers/load-classifier.js';
import { activateModel, readActivePointer, readModelFile, saveModel } from '../../../src/classifiers/model-registry.js';
import { modelVersion, serialiseModel } from '../../../src/classifiers/model/artifact.js';
import { trainModel } from '../../../src/classifiers/train.js';
import { loadFramework } from '../../../src/config/load-config.js';
import { dev, devDataset, frameworkFile, repoFramework } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'fw-classifier-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A quarter of the dev set keeps training fast; determinism does not depend on size (without ../shared,
// the framework's own texts alone are trained on).
const examples = dev.present ? readDataset(devDataset).filter((_, i) => i % 4 === 0) : [];

describe('versions', () => {
  it('a change of the framework file changes the framework version on results', async () => {
    const original = readFileSync(frameworkFile, 'utf8');
    const edited = original.replace('      - Kremlin\n', '      - Kremlin\n      - Kremlin officials\n');
    expect(edited).not.toBe(original);
    const copy = join(tmp, 'framework.yaml');
    writeFileSync(copy, edited);
    const before = repoFramework();
    const after = loadFramework(copy);
    expect(after.version).not.toBe(before.version);
    const input = { title: 'Kremlin', text: 'The Kremlin said Russia would respond to sanctions.' };
    const warned: string[] = [];
    expect((await loadClassifier(after, { warn: (m) => warned.push(m) })).classify(input).framework).toBe(after.version);
    expect(warned).toHaveLength(1);
    expect((await loadClassifier(before)).classify(input).framework).toBe(before.version);
  });

  it('training is deterministic for a fixed seed: same bytes, same model version', () => {
    const fw = repoFramework();
    const data = [...frameworkExamples(fw), ...examples];
    const a = trainModel(fw, data, { seed: 7 });
    const b = trainModel(fw, data, { seed: 7 });
    expect(serialiseModel(a)).toBe(serialiseModel(b));
    expect(modelVersion(a)).toBe(modelVersion(b));
  });

  it('a different model gives a different model version, and activation moves the pointer', async () => {
    const fw = repoFramework();
    const data = [...frameworkExamples(fw), ...examples];
    const dir = join(tmp, 'models');
    const one = saveModel(trainModel(fw, data, { seed: 1 }), dir);
    const two = saveModel(trainModel(fw, data, { seed: 1, l2: 0.05 }), dir);
    expect(one.version).not.toBe(two.version);
    activateModel(one.version, dir);
    expect((await loadClassifier(fw, { modelsDir: dir })).model).toBe(one.version);
    const pointer = activateModel(two.version, dir);
    expect(pointer.previous).toBe(one.version);
    expect(readActivePointer(dir)?.version).toBe(two.version);
    expect((await loadClassifier(fw, { modelsDir: dir })).model).toBe(two.version);
    // The version is recomputed from the stored bytes, so the file and its name agree.
    expect(readModelFile(two.file).version).toBe(two.version);
  });
});

describe('the committed model', () => {
  it('was trained with the committed framework.yaml (edit the framework, then run `framewatch train`)', () => {
    const warnings: unknown[] = [];
    const fw = repoFramework();
    return loadClassifier(fw, { warn: (m, d) => warnings.push({ m, d }) }).then(() => {
      expect(warnings).toEqual([]);
    });
  });
});
