import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRuntime } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/platform/config/config.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { runTemplate } from './run-template.js';

/**
 * A new embedded data directory as the first `kura` command leaves it (database initialised and
 * migrated, master key written), copied from one made once per test run: initdb and the
 * migrations cost 5–10 s of CPU per directory. Tests of the first start itself make their own.
 */
export async function initialisedDataDir(prefix: string): Promise<string> {
  const template = await runTemplate('initialised-data-dir', async (target) => {
    const rt = await openRuntime(loadConfig({ KURA_DATA_DIR: target }), createLogger('silent'));
    await rt.close();
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(template, dir, { recursive: true });
  return dir;
}
