import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../platform/errors/errors.js';

/** Yen per 1,000 tokens of one model, optionally of one provider only (a model name served by several). */
export const modelPriceSchema = z.object({
  provider: z.string().min(1).optional(),
  model: z.string().min(1),
  inputPer1k: z.number().nonnegative(),
  outputPer1k: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const priceFileSchema = z.object({
  currency: z.literal('JPY').default('JPY'),
  models: z.array(modelPriceSchema),
});

/** Prices in JPY per provider model; a provider-specific entry wins over a model-only one. */
export class PriceTable {
  constructor(private readonly prices: readonly ModelPrice[]) {}

  priceOf(provider: string, model: string): ModelPrice | undefined {
    return (
      this.prices.find((p) => p.provider === provider && p.model === model) ??
      this.prices.find((p) => p.provider === undefined && p.model === model)
    );
  }

  /** Yen, rounded to the sen (0.01); undefined when the model has no price. */
  cost(provider: string, model: string, tokensIn: number, tokensOut: number): number | undefined {
    const price = this.priceOf(provider, model);
    if (!price) return undefined;
    return (
      Math.round(((tokensIn / 1000) * price.inputPer1k + (tokensOut / 1000) * price.outputPer1k) * 100) / 100
    );
  }
}

/** Always priced: Kura's own offline extractive engine costs nothing (metered-local-engine.ts). */
export const LOCAL_ENGINE_PRICES: readonly ModelPrice[] = [
  { provider: 'kura', model: 'extractive', inputPer1k: 0, outputPer1k: 0 },
];

/** KURA_PRICES_FILE (YAML or JSON: `models: [{provider?, model, inputPer1k, outputPer1k}]`); none: no prices. */
export function loadPriceTable(file: string | undefined): PriceTable {
  if (!file) return new PriceTable(LOCAL_ENGINE_PRICES);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read the price file ${file}: ${(error as Error).message}`,
      'prices_unreadable',
    );
  }
  // yaml loads only where a price file is configured, not with every command.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof Yaml;
  const parsed = priceFileSchema.safeParse(parse(text));
  if (!parsed.success)
    throw new ConfigError(
      `the price file ${file} is invalid: ${parsed.error.issues[0]?.message}`,
      'prices_invalid',
    );
  return new PriceTable([...parsed.data.models, ...LOCAL_ENGINE_PRICES]);
}
