import { createRequire } from 'node:module';
import { parseHTML } from 'linkedom';

type JsdomModule = typeof import('jsdom');

/** The DOM implementations the extractor runs Readability on. */
export type DomEngine = 'linkedom' | 'jsdom';

export const DOM_ENGINES: readonly DomEngine[] = ['linkedom', 'jsdom'];

/** A parsed page; `dispose` frees what the engine holds (jsdom's window timers and listeners). */
export interface ParsedPage {
  document: Document;
  dispose(): void;
}

// jsdom takes ~0.5 s and tens of MB to load; a linkedom-only worker thread never pays for it.
let jsdom: { module: JsdomModule; quietConsole: InstanceType<JsdomModule['VirtualConsole']> } | undefined;
function loadJsdom(): NonNullable<typeof jsdom> {
  if (!jsdom) {
    const module = createRequire(import.meta.url)('jsdom') as JsdomModule;
    // jsdom reports CSS it cannot parse on the virtual console; those messages are noise for us.
    jsdom = { module, quietConsole: new module.VirtualConsole() };
  }
  return jsdom;
}

/**
 * Parses HTML with the chosen engine. jsdom 29 can throw on real pages (e.g. a CSS `calc($var)` in a
 * style sheet); callers catch per page.
 */
export function parsePage(html: string, engine: DomEngine, url: string): ParsedPage {
  if (engine === 'jsdom') {
    const { module, quietConsole } = loadJsdom();
    const dom = new module.JSDOM(html, { url: safeDocumentUrl(url), virtualConsole: quietConsole });
    return { document: dom.window.document, dispose: () => dom.window.close() };
  }
  // linkedom's types say `any` for the input and a browser Window for the result; its document is
  // close enough to the DOM for Readability (measured on the benchmark: same text on 179/181 pages).
  const { document } = parseHTML(html);
  const doc = document as unknown as Document;
  setDocumentUrl(doc, url);
  return { document: doc, dispose: () => undefined };
}

/** jsdom rejects URLs it cannot parse; relative links then resolve against a neutral base. */
function safeDocumentUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return 'about:blank';
  }
}

/**
 * Readability resolves relative links against `document.baseURI` / `documentURI`; linkedom leaves them
 * empty, so the page URL is set where Readability reads it.
 */
function setDocumentUrl(doc: Document, url: string): void {
  const href = safeDocumentUrl(url);
  for (const key of ['documentURI', 'baseURI', 'URL'] as const) {
    try {
      Object.defineProperty(doc, key, { value: href, configurable: true });
    } catch {
      // A read-only engine property: Readability then keeps relative links as they are.
    }
  }
}
