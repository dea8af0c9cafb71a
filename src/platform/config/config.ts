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
    login: { maxFailures: env.KURA_LOGIN_MAX_FAILURES, lockoutMs: env.KURA_LOGIN_LOCKOUT_MINUTES * 60_000 },
  };
}

/** The process environment, for entry points that hand it on to `loadConfig`. */
export const processEnvironment = (): Record<string, string | undefined> => process.env;
