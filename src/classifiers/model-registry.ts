import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { modelVersion, parseModel, serialiseModel, type ModelArtifact } from './model/artifact.js';

/**
 * Where models live. Every model is a file `models/<version>.json` named by its content hash, and
 * `models/active.json` names the active one. The folder ships with the code (committed and deployed with
 * it), so every worker process on every machine running the same release loads the same model; `train`
 * writes a new file and moves the pointer, and a deploy (or `settings`/`--model` path) carries it.
 */
export function defaultModelsDir(): string {
  return join(packageRoot(), 'models');
}

/** The framewatch package root (walks up from this module: works from src/ with tsx and from dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return resolve('.');
}

/** The shared development set, next to the repository (`../shared/data/classification-dev/articles.jsonl`). */
export function defaultDevDataset(): string {
  return join(packageRoot(), '..', 'shared', 'data', 'classification-dev', 'articles.jsonl');
}

/**
 * The training corpus that ships with the code: every `data/training/*.jsonl` (real, openly licensed texts
 * with source and licence on each line; see data/training/README.md), in name order so training is
 * deterministic. `except` leaves out a file being scored, so it is never also in training.
 */
export function shippedTrainingFiles(except: readonly string[] = []): string[] {
  const dir = join(packageRoot(), 'data', 'training');
  if (!existsSync(dir)) return [];
  const skip = new Set(except.filter((f) => existsSync(f)).map((f) => realpathSync(f)));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => !skip.has(realpathSync(f)));
}

const pointerSchema = z.object({ version: z.string(), file: z.string(), activatedAt: z.string(), previous: z.string().nullable().default(null) });

/** The active-model pointer (`models/active.json`). */
export type ActivePointer = z.infer<typeof pointerSchema>;

export function readActivePointer(dir = defaultModelsDir()): ActivePointer | null {
  const file = join(dir, 'active.json');
  if (!existsSync(file)) return null;
  return pointerSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** A model read from disk with its version recomputed from the bytes (a hand-edited file gets a new version). */
export interface LoadedModel {
  artifact: ModelArtifact;
  version: string;
  file: string;
}

export function readModelFile(file: string): LoadedModel {
  const artifact = parseModel(readFileSync(file, 'utf8'), file);
  return { artifact, version: modelVersion(artifact), file };
}

/** The active model of a models folder; throws when none is active. */
export function readActiveModel(dir = defaultModelsDir()): LoadedModel {
  const pointer = readActivePointer(dir);
  if (!pointer) throw new Error(`no active model in ${dir} (run \`framewatch train\`)`);
  return readModelFile(join(dir, pointer.file));
}

/** Writes the model as `<version>.json` (idempotent) and returns its path and version. */
export function saveModel(artifact: ModelArtifact, dir = defaultModelsDir()): { version: string; file: string } {
  mkdirSync(dir, { recursive: true });
  const version = modelVersion(artifact);
  const file = join(dir, `${version}.json`);
  if (!existsSync(file)) writeAtomic(file, serialiseModel(artifact));
  return { version, file };
}

/** Points `active.json` at a saved model (atomic rename, so a reader sees the old or the new pointer). */
export function activateModel(version: string, dir = defaultModelsDir(), now = new Date()): ActivePointer {
  const file = `${version}.json`;
  if (!existsSync(join(dir, file))) throw new Error(`model ${version} is not in ${dir}`);
  const previous = readActivePointer(dir)?.version ?? null;
  const pointer: ActivePointer = { version, file, activatedAt: now.toISOString(), previous: previous === version ? null : previous };
  writeAtomic(join(dir, 'active.json'), `${JSON.stringify(pointer, null, 2)}\n`);
  return pointer;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
