import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initialisedDataDir } from '../../../test/helpers/data-dir.js';
import { openRuntime } from '../../cli/runtime.js';
import { loadConfig } from '../config/config.js';
import { ConfigError } from '../errors/errors.js';
import { createLogger } from '../log/logger.js';

/** What the embedded database itself reports, through a runtime opened as `kura` opens it. */
async function sharedBuffers(env: Record<string, string>): Promise<string> {
  const dataDir = await initialisedDataDir('kura-buffers-');
  const rt = await openRuntime(loadConfig({ KURA_DATA_DIR: dataDir, ...env }), createLogger('silent'));
  try {
    const rows = await rt.db.owner((tx) => tx.query<{ shared_buffers: string }>('SHOW shared_buffers'));
    return rows[0]!.shared_buffers;
  } finally {
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the embedded database’s shared buffers', () => {
  it('are 32 MB unless KURA_EMBEDDED_BUFFERS_MB says otherwise', async () => {
    expect(await sharedBuffers({})).toBe('32MB');
    expect(await sharedBuffers({ KURA_EMBEDDED_BUFFERS_MB: '64' })).toBe('64MB');
  }, 60_000);

  it('refuse a setting that is not a whole number of MB from 1 to 1024', () => {
    for (const bad of ['0', '-8', '1.5', 'lots', '4096'])
      expect(() => loadConfig({ KURA_EMBEDDED_BUFFERS_MB: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ KURA_EMBEDDED_BUFFERS_MB: '0' })).toThrow(/KURA_EMBEDDED_BUFFERS_MB/);
  });
});
