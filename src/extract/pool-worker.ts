/**
 * The worker-thread side of the extraction pool: one page per task. Runs from compiled JavaScript or,
 * under tsx, from this TypeScript file (see extraction-pool.ts).
 */
import { extractFromHtml } from './extract-html.js';
import type { ExtractOptions, HtmlExtraction } from './types.js';

/** One task: the page and how to read it. */
export interface PoolTask {
  html: string;
  options: ExtractOptions;
}

export default function runTask(task: PoolTask): HtmlExtraction {
  return extractFromHtml(task.html, task.options);
}
