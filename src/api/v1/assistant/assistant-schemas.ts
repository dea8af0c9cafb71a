import { z } from 'zod';

export const anchorSchema = z.object({
  page: z.number().optional(),
  sheet: z.string().optional(),
  range: z.string().optional(),
  slide: z.number().optional(),
  heading: z.string().optional(),
});

export const citationSchema = z.object({
  n: z.number().int().describe('The [n] marker in the answer.'),
  documentId: z.string(),
  title: z.string(),
  uri: z.string(),
  anchor: anchorSchema,
  quote: z.string().describe('The exact passage text the answer is taken from.'),
  chunkOrdinal: z.number().int(),
});

export const askBodySchema = z.object({
  question: z.string().describe('In Japanese or English; at most 2,000 characters.'),
  conversationId: z.string().uuid().optional().describe('Continue one of your conversations.'),
});

export const askResponseSchema = z.object({
  answer: z.string(),
  mode: z.enum(['extractive', 'generative']),
  found: z.boolean().describe('false: nothing you may see answers the question (the answer says so).'),
  citations: z.array(citationSchema),
  conversationId: z.string().nullable(),
  messageId: z.string().nullable(),
});

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const messageSchema = z.object({
  id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  mode: z.enum(['extractive', 'generative']).nullable(),
  found: z.boolean().nullable(),
  status: z.enum(['complete', 'incomplete']),
  createdAt: z.string(),
  citations: z.array(citationSchema),
  feedback: z.object({ rating: z.enum(['good', 'bad']), comment: z.string().nullable() }).nullable(),
});
