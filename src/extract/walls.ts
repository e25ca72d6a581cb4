/**
 * Paywall and consent-wall detection: a page whose readable text is short and that carries one of the
 * well-known markers is a wall, not the article. Markers are phrases publishers and consent platforms
 * (IAB TCF CMPs, Google Funding Choices, Yahoo/Verizon's GUCE) put on such pages.
 */
const CONSENT_MARKERS = [
  /\bbefore you continue\b/i,
  /\bwe (?:value|care about) your privacy\b/i,
  /\b(?:accept|agree to) (?:all )?cookies\b/i,
  /\bmanage (?:your )?(?:cookie|privacy) (?:settings|preferences|choices)\b/i,
  /\bcookie (?:consent|policy|settings)\b/i,
  /\bconsent\.(?:google|yahoo)\.com\b/i,
  /\bguce\.(?:yahoo|oath)\.com\b/i,
  /\bfundingchoicesmessages\b/i,
  /\bqc-cmp2?-|\bonetrust-consent|\bdidomi-|\bsp_message_container|\bcmp-container\b/i,
];

const PAYWALL_MARKERS = [
  /"isAccessibleForFree"\s*:\s*(?:false|"false"|"False")/,
  /\bsubscribe (?:now )?to (?:continue|keep) reading\b/i,
  /\bto continue reading\b/i,
  /\balready (?:a )?subscriber\b/i,
  /\bthis (?:article|content|story) is (?:only )?(?:available|reserved) (?:to|for) (?:subscribers|members)\b/i,
  /\bsubscribers? only\b/i,
  /\bcreate (?:a )?free account to (?:continue|read)\b/i,
  /\bclass\s*=\s*["'][^"']*\b(?:paywall|piano-|tp-modal|meteredContent)\b/i,
];

// Below these word counts a page with a marker is treated as the wall itself (real articles are longer;
// truncated paywall teasers on the benchmark's subscriber sites run 50-200 words).
const CONSENT_MAX_WORDS = 150;
const PAYWALL_MAX_WORDS = 200;

/** Flags `consent-wall` / `paywall` when the page looks like one. `rawHtml` is the page before cleaning. */
export function detectWalls(rawHtml: string, wordCount: number): string[] {
  const flags: string[] = [];
  // Most pages are long enough that the marker scan (regexes over the whole raw page) is skipped.
  if (wordCount >= Math.max(CONSENT_MAX_WORDS, PAYWALL_MAX_WORDS)) return flags;
  if (wordCount < CONSENT_MAX_WORDS && CONSENT_MARKERS.some((re) => re.test(rawHtml))) flags.push('consent-wall');
  if (wordCount < PAYWALL_MAX_WORDS && PAYWALL_MARKERS.some((re) => re.test(rawHtml))) flags.push('paywall');
  return flags;
}
