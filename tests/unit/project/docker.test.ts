import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The image and compose file as a user runs them, checked without a Docker daemon: the process runs as
 * `node`, so what it writes must be writable, and the build context must not carry installed packages or
 * local data. `docker-compose config` validates the compose file where docker-compose is installed.
 */
const dockerfile = readFileSync('Dockerfile', 'utf8');
const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, { volumes?: string[] }>; volumes: Record<string, unknown> };

function hasDockerCompose(): boolean {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('Docker image and compose file', () => {
  it('.dockerignore keeps node_modules, local data, builds and git history out of the build context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.git', 'dist', 'coverage', '.env']));
  });

  it('the image gives its non-root user a writable data volume for the embedded database, and writable models and config', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENV FRAMEWATCH_DATA_DIR=\/app\/\.data$/m);
    expect(dockerfile).toMatch(/chown -R node:node \/app\/\.data \/app\/models \/app\/config/);
    expect(dockerfile).toMatch(/^VOLUME \["\/app\/\.data"\]$/m);
    // The chown comes before USER: after it, the build could not change ownership.
    expect(dockerfile.indexOf('chown')).toBeLessThan(dockerfile.indexOf('USER node'));
  });

  it('compose mounts config writable where `feeds import` runs (framewatch), read-only for workers, and keeps models in a volume', () => {
    expect(compose.services.framewatch?.volumes).toEqual(expect.arrayContaining(['./config:/app/config', 'models:/app/models']));
    expect(compose.services.worker?.volumes).toEqual(expect.arrayContaining(['./config:/app/config:ro', 'models:/app/models']));
    expect(Object.keys(compose.volumes)).toContain('models');
  });

  it.skipIf(!hasDockerCompose())('docker-compose config accepts the compose file (skipped where docker-compose is not installed)', () => {
    expect(() => execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });
});
