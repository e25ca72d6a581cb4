import type { Cluster, Redis } from 'ioredis';

export type LuaCommand = (...args: (string | number)[]) => Promise<unknown>;

type WithCommand = Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/**
 * A Lua script as a command of this client, through ioredis' `defineCommand`: it runs by its SHA
 * (EVALSHA) and is sent in full only when Redis does not know it yet (NOSCRIPT, e.g. after a restart).
 * `redis.eval` sends the whole script on every call, which on the hot path was a quarter of the bytes
 * the service wrote to Redis (issue 20). Pass the keys first, then the arguments.
 */
export function luaCommand(redis: Redis | Cluster, name: string, numberOfKeys: number, lua: string): LuaCommand {
  redis.defineCommand(name, { numberOfKeys, lua });
  // defineCommand adds the method at run time, so the client's type does not know it.
  const client = redis as unknown as WithCommand;
  return (...args) => client[name]!(...args);
}
