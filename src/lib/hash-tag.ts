/**
 * The part of a key Redis Cluster hashes to pick its slot (the key's hash tag): the text between the first
 * `{` and the first `}` after it, when that is not empty; otherwise the whole key. Keys with the same tag live
 * in the same slot, which multi-key commands, MULTI and Lua scripts on a cluster require.
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Whether every key made as `${prefix}…` falls in the one slot of the prefix's own hash tag. */
export function prefixHasHashTag(prefix: string): boolean {
  return hashTagOf(prefix) !== prefix;
}
