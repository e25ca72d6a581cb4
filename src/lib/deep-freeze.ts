/**
 * Freezes a plain data tree in place (objects and arrays, recursively) and returns it typed read-only: a
 * later assignment anywhere in it throws in strict mode (every ES module is). For configuration read once
 * at start-up; class instances, Maps and Buffers are not expected inside.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return Object.freeze(value);
}
