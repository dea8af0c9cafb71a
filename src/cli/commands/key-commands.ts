import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { DataKeyRotation, MasterRotation } from '../../governance/secrets/key-rotation-service.js';
import type { CliContext } from '../cli-context.js';
import { executeOperation } from '../execute-operation.js';

/** `kura keys rotate`: a new master key (KURA_NEW_MASTER_KEY or a file), or a company's data key. */
export function registerKeyCommands(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('encryption keys of stored secrets');
  keys
    .command('rotate')
    .description(
      're-wrap every data key under a new master key (KURA_NEW_MASTER_KEY or --new-master-key-file), or with --tenant rotate that company’s data key and re-seal its secrets',
    )
    .option('--tenant <slug>', 'rotate this company’s data key ("global": the operator’s secrets)')
    .option('--new-master-key-file <file>', 'file holding the new master key (base64 of 32 bytes)')
    .action(async (opts: { tenant?: string; newMasterKeyFile?: string }) => {
      const config = ctx.config();
      if (opts.tenant !== undefined) {
        const r = (await executeOperation(config, ctx.logger(), 'keys.rotate-data-key', {
          tenant: opts.tenant,
        })) as DataKeyRotation;
        ctx.io.out(`data key of ${opts.tenant} is now version ${r.version}; ${r.resealed} secrets re-sealed`);
        return;
      }
      const newMasterKey = opts.newMasterKeyFile
        ? readFileSync(opts.newMasterKeyFile, 'utf8')
        : config.newMasterKey;
      if (!newMasterKey)
        throw new InvalidRequestError(
          'give the new master key as KURA_NEW_MASTER_KEY or --new-master-key-file, or --tenant to rotate a data key',
          'new_master_key_missing',
        );
      const r = (await executeOperation(config, ctx.logger(), 'keys.rotate-master', {
        newMasterKey,
      })) as MasterRotation;
      ctx.io.out(`${r.rewrapped} data keys re-wrapped under the new master key (${r.already} already were)`);
      ctx.io.out(
        r.keyFile
          ? `the new master key is in ${r.keyFile}`
          : 'set KURA_MASTER_KEY to the new key for every Kura process before its next start',
      );
    });
}
