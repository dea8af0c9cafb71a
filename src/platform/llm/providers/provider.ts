export const PROVIDER_KINDS = ['openai', 'azure', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A registered model provider as anyone may see it: never its credentials. */
export interface Provider {
  id: string;
  name: string;
  kind: ProviderKind;
  baseUrl: string;
  /** Where it processes data: jp-east, jp-west, on-prem, us, eu, … */
  region: string;
  chatModel: string;
  embeddingModel: string | null;
  /** Keeps prompts after answering (abuse monitoring, training): some policies forbid it. */
  retainsData: boolean;
  hasApiKey: boolean;
  createdAt: string;
}
