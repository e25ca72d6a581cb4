import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** One problem in one configuration file, located for a person to fix. */
export interface ConfigProblem {
  file: string;
  line: number | null;
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.path || '(root)'}: ${p.message}`;
}

/** A check across files (e.g. alert rules against the framework's labels), run when the schema passed. */
export type CrossCheck<T> = (data: T) => { path: (string | number)[]; message: string }[];

/**
 * yaml's messages end with " at line 5, column 1:" followed by a code excerpt on later lines; the line is
 * already in file:line, so keep the sentence and the column.
 */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  const at = / at line \d+, column (\d+):?\s*$/.exec(first);
  return at ? `${first.slice(0, at.index)} (column ${at[1]})` : first.replace(/:\s*$/, '');
}

/** The raw text of a YAML file parsed and validated against a schema; every problem is reported at once. */
export function parseYamlText<S extends z.ZodType>(file: string, text: string, schema: S, check?: CrossCheck<z.infer<S>>): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        line: e.linePos?.[0]?.line ?? null,
        path: '',
        message: `invalid YAML: ${yamlMessage(e.message)}`,
      })),
    );
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) {
    const issues = check?.(result.data) ?? [];
    if (issues.length === 0) return result.data;
    throw new ConfigError(issues.map((issue) => ({ file, line: lineOf(doc, lineCounter, issue.path), path: formatPath(issue.path), message: issue.message })));
  }
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
      return { file, line: lineOf(doc, lineCounter, path), path: formatPath(path), message: issue.message };
    }),
  );
}

export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, check?: CrossCheck<z.infer<S>>): z.infer<S> {
  return parseYamlText(file, readConfigText(file), schema, check);
}

/** A config file's text, or a ConfigError naming the file. */
export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a folder, not a file' : (err as Error).message;
    throw new ConfigError([{ file, line: null, path: '', message: `cannot read file: ${why}` }]);
  }
}

/** The line of the deepest node that exists along the path, so a missing field points at its parent. */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: (string | number)[],
): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return null;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
