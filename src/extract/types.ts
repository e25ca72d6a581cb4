import type { PageMetadata } from './metadata.js';
import type { DomEngine } from './dom-engine.js';
import type { PostCleanRule } from './post-clean.js';

/** Why a page's own HTML gave no usable article text. */
export type HtmlFailureReason = 'too-large' | 'too-deep' | 'dom-error' | 'no-content' | 'timeout' | 'worker-crash';

/** Options of one HTML extraction. */
export interface ExtractOptions {
  /** The page's final URL: relative links, images and the canonical URL resolve against it. */
  url: string;
  engine: DomEngine;
  /** The feed's plain-text summary, when there is one: agreement with it raises confidence. */
  feedSummary?: string | null;
  /** Post-cleaning rules to skip: only the benchmark's ablation runs (`--without`) set this. */
  disabledRules?: readonly PostCleanRule[];
}

/**
 * What the HTML extractor reads from one page. Plain data (it crosses worker-thread boundaries).
 * `failure` is set when the page gave no article text; the metadata may still be filled.
 */
export interface HtmlExtraction extends PageMetadata {
  text: string;
  html: string | null;
  wordCount: number;
  /** 0..1 from length, link density and agreement with the feed summary. */
  confidence: number;
  /** e.g. `paywall`, `consent-wall`, `dom-error`, `too-large`, `too-deep`, `lang-detected`. */
  flags: string[];
  failure: { reason: HtmlFailureReason; message: string } | null;
  /** Wall time of this extraction, for metrics and the benchmark. */
  durationMs: number;
}
