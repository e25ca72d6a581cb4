import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `30s`, `15m`, `2h`, `1d`, `500ms` or `1h30m` into milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) return null;
  let total = 0;
  for (const m of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
  }
  return total;
}

/** A zod field for durations written as text (`15m`); yields milliseconds. */
export const durationSchema = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (examples: 30s, 15m, 2h, 1d)` });
    return z.NEVER;
  }
  return ms;
});

/** As {@link durationSchema}, and `0s` (or `0ms`) for "none": a wait someone may turn off on purpose. */
export const durationOrZeroSchema = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms < 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (examples: 0s, 30s, 15m, 2h, 1d)` });
    return z.NEVER;
  }
  return ms;
});
