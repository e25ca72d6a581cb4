import { z } from 'zod';
import { prefixHasHashTag } from '../lib/hash-tag.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z
  .string()
  .regex(/^\d+$/, 'must be a port number (0 to 65535)')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a port number (0 to 65535)'));

/** `redis-cluster://[[user]:password@]host:port,host:port[/]`: one or more nodes, each with its port. */
const CLUSTER_URL = /^rediss?-cluster:\/\/(?:[^@/]*@)?(?:(?:\[[0-9a-f:.]+\]|[^,:@/[\]]+):\d{1,5})(?:,(?:\[[0-9a-f:.]+\]|[^,:@/[\]]+):\d{1,5})*\/?$/i;

/** Environment variables framewatch reads; nothing else in the code reads `process.env`. */
export const envSchema = z
  .object({
    FRAMEWATCH_CONFIG: z.string().min(1).default('config'),
    REDIS_URL: z
      .string()
      .regex(/^(rediss?|redis-sentinel|rediss?-cluster):\/\//, 'must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL')
      .refine((url) => !/^rediss?-cluster:/.test(url) || CLUSTER_URL.test(url), {
        message: 'a cluster URL lists its nodes as host:port, comma-separated: redis-cluster://[:PASSWORD@]HOST:PORT,HOST:PORT (rediss-cluster:// for TLS)',
      })
      .default('redis://127.0.0.1:6379'),
    /** Unset: the embedded PostgreSQL (PGlite) in FRAMEWATCH_DATA_DIR. */
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
    FRAMEWATCH_DATA_DIR: z.string().min(1).default('.data'),
    PORT: port.default(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    FRAMEWATCH_API_TOKEN: z.string().min(1).optional(),
    /** Public base URL of the API, used for links in webhook payloads and JSON Feeds. */
    FRAMEWATCH_PUBLIC_URL: z.url().optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    FRAMEWATCH_ALLOW_PRIVATE_NETWORKS: bool.default(false),
    /** BullMQ key prefix; the braces make it a Redis Cluster hash tag so all queue keys share a slot. */
    FRAMEWATCH_QUEUE_PREFIX: z.string().min(1).default('{framewatch}'),
    HTTP_PROXY: z.string().optional(),
    HTTPS_PROXY: z.string().optional(),
    NO_PROXY: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    // On a cluster, BullMQ's scripts and framewatch's MULTIs touch several keys at once: they must share a slot.
    if (/^rediss?-cluster:/.test(env.REDIS_URL) && !prefixHasHashTag(env.FRAMEWATCH_QUEUE_PREFIX)) {
      ctx.addIssue({
        code: 'custom',
        path: ['FRAMEWATCH_QUEUE_PREFIX'],
        message: `"${env.FRAMEWATCH_QUEUE_PREFIX}" has no hash tag: on Redis Cluster the prefix must hold one, in braces (for example {framewatch}), so that every key framewatch writes is in one slot`,
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
