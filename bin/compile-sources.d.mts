export interface CompiledSources {
  /** dist/<stamp>: its src/ holds the compiled sources. */
  dir: string;
  /** Whether this call compiled them (false: an earlier command had). */
  compiled: boolean;
}

export function compiledSources(root: string, say?: (line: string) => void): Promise<CompiledSources | null>;
