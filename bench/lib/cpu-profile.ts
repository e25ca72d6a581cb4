import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of V8's .cpuprofile (written by `node --cpu-prof`) that self time needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  /** `function (file:line)`; V8's "(garbage collector)", "(program)", "(idle)" as they are. */
  name: string;
  ms: number;
}

export interface ThreadProfile {
  /** `main` or `worker <tid>` (from the file name node gives each thread's profile). */
  thread: string;
  totalMs: number;
  idleMs: number;
  top: SelfTime[];
}

function shortUrl(url: string): string {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.search(/\/(src|bench|bin)\//);
  return src >= 0 ? url.slice(src + 1) : url.replace(/^file:\/\//, '');
}

/**
 * Self time per function of one profile: each sample's time delta goes to the node it hit, then nodes of
 * the same function (name, file, line) are added up, so a function reached through many call paths is one row.
 */
export function selfTimes(profile: CpuProfile): { totalMs: number; idleMs: number; rows: SelfTime[] } {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idleUs += us;
    const file = shortUrl(url);
    const key = `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const rows = [...byFunction.entries()].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, rows };
}

/** Every profile in `dir` (node names them CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile; tid 0 is the main thread). */
export function readProfiles(dir: string, top: number): ThreadProfile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const workers: ThreadProfile = { thread: 'worker threads (all)', totalMs: 0, idleMs: 0, top: [] };
  const workerRows = new Map<string, number>();
  const result: ThreadProfile[] = [];
  for (const file of files) {
    const tid = Number(file.split('.').at(-3));
    const { totalMs, idleMs, rows } = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    if (tid === 0) {
      result.push({ thread: `main (${file})`, totalMs, idleMs, top: rows.slice(0, top) });
    } else {
      workers.totalMs += totalMs;
      workers.idleMs += idleMs;
      for (const r of rows) workerRows.set(r.name, (workerRows.get(r.name) ?? 0) + r.ms);
    }
  }
  if (workerRows.size > 0) {
    workers.top = [...workerRows.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, top);
    result.push(workers);
  }
  return result;
}

export function printProfiles(profiles: ThreadProfile[]): void {
  for (const p of profiles) {
    const busy = p.totalMs - p.idleMs;
    console.log(`\n${p.thread}: ${(p.totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (not idle)`);
    console.log('| self ms | % of busy | function |');
    console.log('|---|---|---|');
    for (const r of p.top) {
      if (r.name.startsWith('(idle)')) continue;
      console.log(`| ${r.ms.toFixed(0)} | ${((r.ms / Math.max(1, busy)) * 100).toFixed(1)} | ${r.name.replace(/\|/g, '\\|')} |`);
    }
  }
}
