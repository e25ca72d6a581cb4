/** Precision, recall and F1 of one label over a dataset. */
export interface LabelScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  tp: number;
  fp: number;
  fn: number;
}

/** What `eval` prints: per label, micro and macro F1, and false alarms on articles with no label. */
export interface EvaluationReport {
  articles: number;
  perLabel: LabelScores[];
  micro: { precision: number; recall: number; f1: number };
  /** Mean F1 over labels with at least one gold or predicted example. */
  macroF1: number;
  noLabel: { articles: number; withAnyLabel: number; rate: number };
  /** The same figures per language of the texts, when the texts have one (declared or detected). */
  byLanguage?: LanguageFigures[];
}

/** One language's share of a report: how many texts, macro-F1, micro P/R and false alarms on no-label texts. */
export interface LanguageFigures {
  lang: string;
  articles: number;
  macroF1: number;
  micro: { precision: number; recall: number; f1: number };
  noLabel: { articles: number; withAnyLabel: number; rate: number };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1Of = (tp: number, fp: number, fn: number): number => ratio(2 * tp, 2 * tp + fp + fn);

/** Scores predicted label sets against gold label sets (same order). */
export function evaluate(labelIds: readonly string[], gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): EvaluationReport {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const perLabel = labelIds.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const inGold = g.includes(label);
      const inPred = (predicted[i] ?? []).includes(label);
      if (inGold && inPred) tp++;
      else if (inPred) fp++;
      else if (inGold) fn++;
    });
    return { label, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: f1Of(tp, fp, fn), support: tp + fn, tp, fp, fn };
  });
  const tp = perLabel.reduce((s, l) => s + l.tp, 0);
  const fp = perLabel.reduce((s, l) => s + l.fp, 0);
  const fn = perLabel.reduce((s, l) => s + l.fn, 0);
  const counted = perLabel.filter((l) => l.support > 0 || l.fp > 0);
  const negatives = gold.flatMap((g, i) => (g.length === 0 ? [i] : []));
  const withAny = negatives.filter((i) => (predicted[i] ?? []).length > 0).length;
  return {
    articles: gold.length,
    perLabel,
    micro: { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: f1Of(tp, fp, fn) },
    macroF1: ratio(
      counted.reduce((s, l) => s + l.f1, 0),
      counted.length,
    ),
    noLabel: { articles: negatives.length, withAnyLabel: withAny, rate: ratio(withAny, negatives.length) },
  };
}

/**
 * `evaluate` restricted to each language's texts (`langs[i]` is text i's language), most texts first.
 * Macro-F1 counts, per language, the labels that language's texts carry or were given.
 */
export function evaluateByLanguage(
  labelIds: readonly string[],
  gold: readonly (readonly string[])[],
  predicted: readonly (readonly string[])[],
  langs: readonly string[],
): LanguageFigures[] {
  const codes = [...new Set(langs)];
  return codes
    .map((lang) => {
      const at = langs.flatMap((l, i) => (l === lang ? [i] : []));
      const r = evaluate(
        labelIds,
        at.map((i) => gold[i] ?? []),
        at.map((i) => predicted[i] ?? []),
      );
      return { lang, articles: r.articles, macroF1: r.macroF1, micro: r.micro, noLabel: r.noLabel };
    })
    .sort((a, b) => b.articles - a.articles || a.lang.localeCompare(b.lang));
}

/** `evaluate` with the per-language figures attached. */
export function evaluateWithLanguages(
  labelIds: readonly string[],
  gold: readonly (readonly string[])[],
  predicted: readonly (readonly string[])[],
  langs: readonly string[],
): EvaluationReport {
  return { ...evaluate(labelIds, gold, predicted), byLanguage: evaluateByLanguage(labelIds, gold, predicted, langs) };
}

/** The per-language figures as a fixed-width table. */
export function formatLanguageTable(rows: readonly LanguageFigures[]): string {
  const lines = ['lang  texts  macro-F1  micro-P  micro-R  no-label given a label'];
  for (const r of rows) {
    lines.push(
      `${r.lang.padEnd(4)}${String(r.articles).padStart(7)}${r.macroF1.toFixed(3).padStart(10)}${r.micro.precision.toFixed(3).padStart(9)}${r.micro.recall.toFixed(3).padStart(9)}  ${r.noLabel.withAnyLabel}/${r.noLabel.articles} (${(r.noLabel.rate * 100).toFixed(1)}%)`,
    );
  }
  return lines.join('\n');
}

/** A fixed-width table of a report for terminals. */
export function formatReport(r: EvaluationReport, title = ''): string {
  const pct = (x: number): string => x.toFixed(3);
  const width = Math.max(26, ...r.perLabel.map((l) => l.label.length + 2));
  const lines = [title, `${'label'.padEnd(width)}precision  recall     f1  support`].filter((l) => l !== '');
  for (const l of r.perLabel) lines.push(`${l.label.padEnd(width)}${pct(l.precision).padStart(9)}${pct(l.recall).padStart(8)}${pct(l.f1).padStart(7)}${String(l.support).padStart(9)}`);
  lines.push(`${'micro'.padEnd(width)}${pct(r.micro.precision).padStart(9)}${pct(r.micro.recall).padStart(8)}${pct(r.micro.f1).padStart(7)}`);
  lines.push(`${'macro F1'.padEnd(width)}${''.padStart(17)}${pct(r.macroF1).padStart(7)}`);
  lines.push(`no-label articles given a label: ${r.noLabel.withAnyLabel}/${r.noLabel.articles} (${(r.noLabel.rate * 100).toFixed(1)}%)`);
  if (r.byLanguage && r.byLanguage.length > 0) lines.push('', formatLanguageTable(r.byLanguage));
  return lines.join('\n');
}
