import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z
  .string()
  .regex(/^\d+$/, 'must be a port number (0 to 65535)')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a port number (0 to 65535)'));

/** Environment variables framewatch reads; nothing else in the code reads `process.env`. */
export const envSchema = z.object({
  FRAMEWATCH_CONFIG: z.string().min(1).default('config'),
  REDIS_URL: z
    .string()
    .regex(/^(rediss?|redis-sentinel):\/\//, 'must be a redis://, rediss:// or redis-sentinel:// URL')
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
});

export type Env = z.infer<typeof envSchema>;
