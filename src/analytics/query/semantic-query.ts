import { z } from 'zod';
import { TIME_GRAINS } from '../model/semantic-model.js';

const name = z.string().min(1).max(63);
const value = z.union([z.string().max(500), z.number()]);

/**
 * What a question asks, in the model's names only: the offline parser and (later) a model's tool
 * call both produce this object, and the same validation, compiler and SQL guard take it from here.
 */
export const semanticQuerySchema = z.object({
  metrics: z.array(name).min(1).max(20),
  dimensions: z
    .array(z.object({ name, grain: z.enum(TIME_GRAINS).optional() }))
    .max(5)
    .default([]),
  filters: z
    .array(
      z.object({
        dimension: name,
        op: z.enum(['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte']),
        values: z.array(value).min(1).max(100),
      }),
    )
    .max(20)
    .default([]),
  /** [start, end): ISO dates (YYYY-MM-DD) on the model's time dimension. */
  timeRange: z
    .object({
      dimension: name.optional(),
      start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/u),
      end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/u),
    })
    .refine((r) => r.start < r.end, 'start must come before end')
    .optional(),
  order: z
    .array(z.object({ by: name, direction: z.enum(['asc', 'desc']).default('desc') }))
    .max(5)
    .default([]),
  limit: z.number().int().min(1).max(100_000).optional(),
});

export type SemanticQuery = z.infer<typeof semanticQuerySchema>;
export type SemanticQueryInput = z.input<typeof semanticQuerySchema>;
