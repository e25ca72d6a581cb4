/**
 * The plain baseline the issue compares against: `new JSDOM(html)` + `new Readability(document).parse()`
 * with default options, text = `textContent`. One page per task; a throw is a lost page.
 */
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

export interface BaselineTask {
  html: string;
}

export interface BaselineResult {
  text: string;
  failed: string | null;
  durationMs: number;
}

// Silences jsdom's CSS parse errors on stderr only; parsing itself is unchanged.
const virtualConsole = new VirtualConsole();

export default function runBaseline(task: BaselineTask): BaselineResult {
  const started = performance.now();
  let dom: JSDOM | undefined;
  try {
    dom = new JSDOM(task.html, { virtualConsole });
    const text = new Readability(dom.window.document).parse()?.textContent ?? '';
    return { text, failed: null, durationMs: performance.now() - started };
  } catch (err) {
    return { text: '', failed: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : String(err), durationMs: performance.now() - started };
  } finally {
    dom?.window.close();
  }
}
