/** Small seeded PRNG (mulberry32): fold assignment must be the same for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * Fold number per item, stratified by each item's rarest label (so a label with five examples lands in five
 * different folds) and shuffled by the seed.
 */
export function assignFolds(labels: readonly (readonly string[])[], folds: number, seed: number): number[] {
  const freq = new Map<string, number>();
  for (const ls of labels) for (const l of ls) freq.set(l, (freq.get(l) ?? 0) + 1);
  const rarest = labels.map((ls) => [...ls].sort((a, b) => (freq.get(a) ?? 0) - (freq.get(b) ?? 0) || a.localeCompare(b))[0] ?? '');
  const strata = [...new Set(rarest)].sort((a, b) => (freq.get(a) ?? Infinity) - (freq.get(b) ?? Infinity) || a.localeCompare(b));
  const rand = seededRandom(seed);
  const out = new Array<number>(labels.length).fill(0);
  let next = 0;
  for (const s of strata) {
    const members = shuffle(
      rarest.flatMap((r, i) => (r === s ? [i] : [])),
      rand,
    );
    for (const i of members) {
      out[i] = next % folds;
      next++;
    }
  }
  return out;
}

/**
 * `assignFolds` over groups of items (an item and its translations): every member of a group gets the
 * group's fold, so a model is never scored on a text whose translation it trained on. A group is
 * stratified by the union of its members' labels.
 */
export function assignGroupedFolds(labels: readonly (readonly string[])[], groups: readonly string[], folds: number, seed: number): number[] {
  const order = [...new Set(groups)];
  const at = new Map(order.map((g, i) => [g, i]));
  const groupLabels = order.map(() => new Set<string>());
  labels.forEach((ls, i) => {
    for (const l of ls) groupLabels[at.get(groups[i] as string) as number]?.add(l);
  });
  const groupFolds = assignFolds(
    groupLabels.map((s) => [...s]),
    folds,
    seed,
  );
  return groups.map((g) => groupFolds[at.get(g) as number] as number);
}
