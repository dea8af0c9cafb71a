import path from 'node:path';
import { z } from 'zod';
import { aclRuleSchema } from '../acl.js';
import { compileGlob } from './glob.js';

const glob = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((pattern) => {
    try {
      compileGlob(pattern);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid glob pattern');

/**
 * What a folder source keeps in `sources.settings`. `include` empty means every file; `exclude`
 * wins over `include`; hidden entries (`.git`, `.DS_Store`) and Office lock files (`~$…`) are left
 * out unless `includeHidden`.
 */
const fields = {
  path: z
    .string()
    .trim()
    .min(1)
    .refine((p) => path.isAbsolute(p), 'the folder path must be absolute')
    .refine((p) => !p.includes('\0'), 'the folder path must not contain NUL'),
  include: z.array(glob).max(100),
  exclude: z.array(glob).max(100),
  acl: z.array(aclRuleSchema).max(1000),
  includeHidden: z.boolean(),
};

export const folderSettingsSchema = z.object({
  ...fields,
  include: fields.include.default([]),
  exclude: fields.exclude.default([]),
  acl: fields.acl.default([]),
  includeHidden: fields.includeHidden.default(false),
});

/** A change of some settings: what is not given stays as it was (no defaults here). */
export const folderSettingsPatchSchema = z.object(fields).partial();

export type FolderSettings = z.infer<typeof folderSettingsSchema>;
export type FolderSettingsInput = z.input<typeof folderSettingsSchema>;
