import type { Framework } from './types.js';

/** Colours live in desk.css as `.lc0` … `.lc9` (setting --tint and --ink); `.lcx` is an unknown label. */
const COLOURS = 10;

export interface LabelStyle {
  name: string;
  /** The colour class: one per label, by its place in the framework (stable while the order is). */
  cls: string;
  index: number;
}

/** Name and colour class of every label id, including ids an older framework gave (grey, named by id). */
export function labelStyles(framework: Framework | null): (id: string) => LabelStyle {
  const known = new Map<string, LabelStyle>();
  framework?.labels.forEach((label, index) => known.set(label.id, { name: label.name, cls: `lc${index % COLOURS}`, index }));
  return (id) => known.get(id) ?? { name: id, cls: 'lcx', index: -1 };
}
