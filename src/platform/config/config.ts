import path from 'node:path';
import { envSchema, type Env } from './env.js';
import { ConfigError } from '../errors/errors.js';

export interface KuraConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  host: string;
  port: number;
  publicUrl: string | undefined;
  logLevel: Env['KURA_LOG_LEVEL'];
  demoPassword: string | undefined;
  sessionTtlMs: number;
  cookieSecure: boolean;
  login: { maxFailures: number; lockoutMs: number };
  searchEngine: Env['KURA_SEARCH_ENGINE'];
  /** Background jobs run at once by a worker. */
  workerConcurrency: number;
  /** Shared buffers of the embedded database, in MB (src/platform/db/pglite-database.ts says why so few). */
  embeddedBuffersMb: number;
  /** Signs audit checkpoints and keys query pseudonyms; undefined: `<dataDir>/audit.key`. */
  auditKey: string | undefined;
  ingest: {
    /** Largest file accepted from an upload or a folder, in bytes. */
    maxFileBytes: number;
    /** Where company admins may point folder sources (API); `{tenant}` is the company slug. Empty: operator only. */
    folderRoots: string[];
  };
  /** Propose a semantic model over uploaded sheets when the company has none of its own. */
  proposeModelFromUploads: boolean;
  /** Pre-aggregated analytics rollups (per day × category dimensions) for database sources. */
  analyticsRollups: boolean;
  /** KURA_MASTER_KEY (base64); unset: the data directory's master.key. */
  masterKey: string | undefined;
  /** KURA_NEW_MASTER_KEY (base64): the key `kura keys rotate` re-wraps the data keys under. */
  newMasterKey: string | undefined;
  /** KURA_PRICES_FILE: JPY per 1,000 tokens per provider model (YAML or JSON) for chargeback. */
  pricesFile: string | undefined;
  llm: { timeoutMs: number; maxRetries: number };
}

export type ConfigOverrides = Partial<Pick<KuraConfig, 'dataDir' | 'port' | 'host' | 'databaseUrl'>>;

/** Reads and validates the environment once; command-line flags override it. */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  overrides: ConfigOverrides = {},
): KuraConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(`invalid environment: ${first?.path.join('.')}: ${first?.message}`);
  }
  const env = parsed.data;
  const publicUrl = env.KURA_PUBLIC_URL;
  return {
    dataDir: path.resolve(overrides.dataDir ?? env.KURA_DATA_DIR),
    databaseUrl: overrides.databaseUrl ?? env.DATABASE_URL,
    host: overrides.host ?? env.KURA_HOST,
    port: overrides.port ?? env.KURA_PORT,
    publicUrl,
    logLevel: env.KURA_LOG_LEVEL,
    demoPassword: env.KURA_DEMO_PASSWORD,
    sessionTtlMs: env.KURA_SESSION_TTL_HOURS * 3_600_000,
    cookieSecure:
      env.KURA_COOKIE_SECURE === 'auto'
        ? (publicUrl?.startsWith('https:') ?? false)
        : env.KURA_COOKIE_SECURE === 'true',
    searchEngine: env.KURA_SEARCH_ENGINE,
    login: { maxFailures: env.KURA_LOGIN_MAX_FAILURES, lockoutMs: env.KURA_LOGIN_LOCKOUT_MINUTES * 60_000 },
    workerConcurrency: env.KURA_WORKER_CONCURRENCY,
    embeddedBuffersMb: env.KURA_EMBEDDED_BUFFERS_MB,
    auditKey: env.KURA_AUDIT_KEY,
    ingest: {
      maxFileBytes: Math.round(env.KURA_UPLOAD_LIMIT_MB * 1024 * 1024),
      folderRoots: (env.KURA_FOLDER_ROOTS ?? '')
        .split(',')
        .map((root) => root.trim())
        .filter((root) => root !== '')
        .map((root) => path.resolve(root)),
    },
    proposeModelFromUploads: env.KURA_PROPOSE_MODEL_FROM_UPLOADS === 'true',
    analyticsRollups: env.KURA_ANALYTICS_ROLLUPS === 'true',
    masterKey: env.KURA_MASTER_KEY,
    newMasterKey: env.KURA_NEW_MASTER_KEY,
    pricesFile: env.KURA_PRICES_FILE,
    llm: { timeoutMs: env.KURA_LLM_TIMEOUT_MS, maxRetries: env.KURA_LLM_MAX_RETRIES },
  };
}

/** The process environment, for entry points that hand it on to `loadConfig`. */
export const processEnvironment = (): Record<string, string | undefined> => process.env;
