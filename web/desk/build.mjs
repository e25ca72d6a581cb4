#!/usr/bin/env node
// Bundles the review desk (web/desk/src) into web/desk/dist: one ES module and one stylesheet, minified,
// with .gz and .br copies next to them for @fastify/static's preCompressed serving. Runs at `npm ci`
// (postinstall) and in `npm run build`, so the desk works straight after install with no build command.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, 'src', 'main.tsx');
const outdir = join(here, 'dist');

// A Docker build installs dependencies before it copies the sources; `npm run build` builds the desk later.
if (!existsSync(entry)) {
  console.log('desk: sources not present, nothing to build');
  process.exit(0);
}

const { build } = await import('esbuild');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  // main.tsx imports desk.css, which esbuild emits beside desk.js as desk.css.
  entryPoints: { desk: entry },
  outdir,
  bundle: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});

for (const file of Object.keys(result.metafile.outputs)) {
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => /\.(js|css)$/.test(file))
  .map(([file, out]) => `${file.split('/').pop()} ${(out.bytes / 1024).toFixed(1)} KB`);
console.log(`desk: built ${sizes.join(', ')}`);
