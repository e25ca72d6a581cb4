/**
 * Plain text of an element with paragraph structure kept: block elements become blank-line separated
 * paragraphs, `<br>` a line break, whitespace inside a paragraph collapsed. `textContent` would glue
 * the last word of one paragraph to the first of the next when the markup has no whitespace between.
 */
const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION',
  'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL',
  'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'THEAD', 'TFOOT', 'TR', 'UL', 'CAPTION',
]);
const CELL = new Set(['TD', 'TH']);
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

export function blockText(root: Node): string {
  const paragraphs: string[] = [];
  let current = '';
  const flush = (): void => {
    const p = current
      .split('\n')
      .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
      .filter(Boolean)
      .join('\n');
    if (p) paragraphs.push(p);
    current = '';
  };
  // Iterative walk: hostile pages nest deeper than the call stack.
  const stack: { node: Node; exit: boolean }[] = [{ node: root, exit: false }];
  while (stack.length > 0) {
    const { node, exit } = stack.pop() as { node: Node; exit: boolean };
    if (node.nodeType === TEXT_NODE) {
      // Newlines in the markup are whitespace; only <br> breaks a line.
      current += (node.nodeValue ?? '').replace(/[\r\n]+/g, ' ');
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const tag = (node as Element).tagName.toUpperCase();
    if (exit) {
      if (BLOCK.has(tag)) flush();
      else if (CELL.has(tag)) current += ' ';
      continue;
    }
    if (tag === 'BR') {
      current += '\n';
      continue;
    }
    if (BLOCK.has(tag)) flush();
    stack.push({ node, exit: true });
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) stack.push({ node: child, exit: false });
    }
  }
  flush();
  return paragraphs.join('\n\n');
}

/** Whitespace-separated word count (the stored `wordCount`). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}_]+(?:['’][\p{L}]+)?/gu)?.length ?? 0;
}
