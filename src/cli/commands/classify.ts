import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadClassifier } from '../../classifiers/load-classifier.js';
import { CliError, type CliContext } from '../context.js';

const inputSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), title: z.string().default(''), text: z.string(), lang: z.string().nullish() });

/**
 * `framewatch classify [FILE|-] [--model FILE]`: JSONL `{id,title,text,lang?}` in, one JSONL line per article out:
 * `{id,labels:[{id,score,groups,evidence,features,direction?,directionEvidence?}],relevance,framework,model,lang,unsupported?}`.
 * stdout carries only those lines; a bad input line stops with its line number on stderr.
 */
export function registerClassifyCommand(program: Command, ctx: CliContext): void {
  program
    .command('classify')
    .description('classify JSONL articles ({id,title,text} per line) from FILE or stdin; JSONL results on stdout')
    .argument('[file]', 'input file, or - for stdin', '-')
    .option('--model <file>', 'model file to use instead of the active one (models/active.json)')
    .action(async (file: string, opts: { model?: string }) => {
      const config = ctx.loadConfig();
      const classifier = await loadClassifier(config.framework, { ...(opts.model ? { modelPath: opts.model } : {}), warn: (m, d) => ctx.logger().warn(d, m) });
      if (file !== '-' && !existsSync(file)) throw new CliError(`${file}: no such file`);
      const input = file === '-' ? ctx.stdin : createReadStream(file, 'utf8');
      const lines = createInterface({ input, crlfDelay: Infinity });
      let n = 0;
      for await (const line of lines) {
        n++;
        if (line.trim() === '') continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          throw new CliError(`${file}:${n}: not a JSON line`);
        }
        const parsed = inputSchema.safeParse(json);
        if (!parsed.success) throw new CliError(`${file}:${n}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
        const { id, title, text, lang } = parsed.data;
        const result = classifier.classify({ title, text, lang: lang ?? null });
        if (!ctx.stdout.write(`${JSON.stringify({ id, ...result })}\n`)) await new Promise((r) => ctx.stdout.once('drain', r));
      }
    });
}
