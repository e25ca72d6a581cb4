// Function words that carry no topic. Words that change a policy statement's meaning ("new", "further",
// "not", "against", "off") are deliberately absent: direction cues and phrases need them.
const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for with from as into onto over under about between
  through during before after above below then once here there when where why
  how all any both each few most other some such nor only own same so than too very s t can will
  just don should now is are was were be been being have has had having do does did doing i me my we our ours
  you your he him his she her it its they them their what which who whom this that these those am would could
  shall may might must also said says say one two three its it's us u mr ms dr per via`.split(/\s+/),
);

/** True for English function words (lower-case input). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
