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
  KURA_COOKIE_SECURE: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('auto: Secure cookies when KURA_PUBLIC_URL is https'),
  KURA_LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  KURA_LOGIN_LOCKOUT_MINUTES: z.coerce.number().positive().default(15),
});

export type Env = z.infer<typeof envSchema>;
