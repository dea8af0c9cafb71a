import { z } from 'zod';

/**
 * Every environment variable Kura reads, with its default. The README's configuration table mirrors
 * this schema; nothing outside src/platform/config reads process.env.
 */
export const envSchema = z.object({
  KURA_DATA_DIR: z.string().min(1).default('./.kura'),
  DATABASE_URL: z.string().url().optional(),
  KURA_HOST: z.string().min(1).default('127.0.0.1'),
  KURA_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  KURA_PUBLIC_URL: z.string().url().optional(),
  KURA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KURA_DEMO_PASSWORD: z.string().min(10).optional(),
  KURA_SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  KURA_PROPOSE_MODEL_FROM_UPLOADS: z
    .enum(['true', 'false'])
    .default('true')
    .describe(
      'true: uploaded CSV/XLSX sheets get a semantic model proposed when the company has none of its own',
    ),
  KURA_ANALYTICS_ROLLUPS: z
    .enum(['true', 'false'])
    .default('true')
    .describe(
      'true: analytics keeps pre-aggregated rollups of database sources and answers from them when exact',
    ),
  KURA_COOKIE_SECURE: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('auto: Secure cookies when KURA_PUBLIC_URL is https'),
  KURA_SEARCH_ENGINE: z
    .enum(['auto', 'pg_textsearch', 'portable'])
    .default('auto')
    .describe(
      'auto: pg_textsearch where the database has it (always embedded PGlite), portable SQL BM25 otherwise',
    ),
  KURA_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  KURA_LOGIN_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
  KURA_WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe('background jobs (syncs, ingests) run at once by `kura worker` and embedded `kura serve`'),
  KURA_EMBEDDED_BUFFERS_MB: z.coerce
    .number()
    .int()
    .min(1)
    // PGlite's memory is 32-bit WebAssembly: 4 GB for everything, buffers included.
    .max(1024)
    .default(32)
    .describe('shared buffers of the embedded database (PGlite), in MB (1–1024)'),
  KURA_UPLOAD_LIMIT_MB: z.coerce
    .number()
    .positive()
    .max(10_240)
    .default(100)
    .describe('largest file a company may upload or have read from a folder, in MB'),
  KURA_AUDIT_KEY: z
    .string()
    .min(32)
    .optional()
    .describe(
      'secret (32+ characters) that signs audit retention checkpoints and pseudonymises audited queries; default: <data dir>/audit.key',
    ),
  KURA_FOLDER_ROOTS: z
    .string()
    .optional()
    .describe(
      'comma-separated folders under which company admins may add folder sources over the API; {tenant} stands for the company slug',
    ),
  KURA_MASTER_KEY: z
    .string()
    .optional()
    .describe(
      'base64 of 32 bytes: wraps the data keys that seal stored credentials; default <data dir>/master.key (embedded mode only)',
    ),
  KURA_NEW_MASTER_KEY: z
    .string()
    .optional()
    .describe('base64 of 32 bytes: the master key `kura keys rotate` re-wraps every data key under'),
  KURA_PRICES_FILE: z
    .string()
    .optional()
    .describe('YAML or JSON file of model prices in JPY per 1,000 input/output tokens (usage reports)'),
  KURA_LLM_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe('longest a model call may take, per attempt'),
  KURA_LLM_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .describe('retries of a model call that met 429, 5xx or a network error (with backoff)'),
});

export type Env = z.infer<typeof envSchema>;
