import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run keeps what test files build once and share (test/helpers/run-template.ts). */
    templateDir: string;
  }
}

/** One directory per test run for shared templates; removed when the run ends. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kura-test-templates-'));
  project.provide('templateDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
