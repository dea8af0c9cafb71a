import type { ConfigOverrides, KuraConfig } from '../platform/config/config.js';
import type { Logger } from '../platform/log/logger.js';
import type { CliIo } from './main.js';

/** What every command needs: input/output, the configuration (flags over environment), a logger. */
export interface CliContext {
  io: CliIo;
  config(overrides?: ConfigOverrides): KuraConfig;
  logger(level?: string): Logger;
  exitCode?: number;
}
