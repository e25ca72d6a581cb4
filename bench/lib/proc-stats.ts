import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream kernel build). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcStats {
  /** Resident set size now, bytes. */
  rss: number;
  /** The kernel's own high-water mark of the resident set, bytes (VmHWM: the true peak, no sampling gaps). */
  peakRss: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
}

/** Reads a live process's memory and CPU from /proc; null once it has exited. */
export function readProcStats(pid: number): ProcStats | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    // Fields after the parenthesised command name (which may itself contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11] ?? 0) + Number(rest[12] ?? 0);
    return { rss: kib('VmRSS'), peakRss: kib('VmHWM'), cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
