/** Shapes of the REST API's answers the console uses (src/api/v1). */

export const USER_ROLES = ['group_admin', 'admin', 'member', 'viewer'] as const;
export const COMPANY_ROLES = ['admin', 'member', 'viewer'] as const;
export const SECTORS = ['general', 'finance', 'government', 'medical', 'education'] as const;
export const REGIONS = ['jp-east', 'jp-west', 'on-prem', 'us', 'eu'] as const;

export type UserRole = (typeof USER_ROLES)[number];
export type CompanyRole = (typeof COMPANY_ROLES)[number];
export type Sector = (typeof SECTORS)[number];

export interface Me {
  kind: 'user' | 'api_key';
  id: string;
  role: string;
  user: { email: string; name: string } | null;
  company: { id: string; slug: string; name: string; region: string; sector: string };
  group: { id: string; slug: string; name: string } | null;
  csrfToken: string | null;
}

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  sso: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Company {
  id: string;
  slug: string;
  name: string;
  groupId: string | null;
  region: string;
  sector: string;
  createdAt: string;
}

/** Company slugs, as the server checks them (src/tenancy/slug.ts). */
export const SLUG_PATTERN = '[a-z0-9](?:[a-z0-9\\-]{0,38}[a-z0-9])?';
export const isSlug = (value: string): boolean => new RegExp(`^${SLUG_PATTERN}$`).test(value);

// ---------- knowledge: search, documents, sources, jobs (src/api/v1/search, documents, sources) ----------

/** Where a passage is in its document: PDF page, sheet and range, slide, heading. */
export interface Anchor {
  page?: number;
  sheet?: string;
  range?: string;
  slide?: number;
  heading?: string;
}

export interface Highlight {
  start: number;
  end: number;
}

export interface SearchResult {
  documentId: string;
  title: string;
  uri: string;
  sourceId: string;
  mimeType: string | null;
  anchor: Anchor;
  score: number;
  bm25: number;
  snippet: string;
  highlights: Highlight[];
}

export interface SearchResponse {
  mode: string;
  engine: string;
  total: number;
  totalExact: boolean;
  results: SearchResult[];
  notes: string[];
}

/** The `type=` values of GET /api/v1/search (src/search/types.ts), in the order the filter offers them. */
export const DOCUMENT_TYPES = [
  'pdf',
  'docx',
  'xlsx',
  'pptx',
  'eml',
  'html',
  'markdown',
  'csv',
  'text',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const MIME_TO_TYPE: Record<string, DocumentType> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'message/rfc822': 'eml',
  'text/html': 'html',
  'text/markdown': 'markdown',
  'text/csv': 'csv',
  'text/plain': 'text',
};
export const documentTypeOf = (mime: string | null): DocumentType | null =>
  mime ? (MIME_TO_TYPE[mime.split(';')[0]!.trim()] ?? null) : null;

export type DocumentStatus = 'indexed' | 'failed' | 'skipped';

export interface DocumentRecord {
  id: string;
  sourceId: string;
  externalId: string;
  title: string;
  uri: string;
  mimeType: string | null;
  sizeBytes: number;
  modifiedAt: string | null;
  version: number;
  status: DocumentStatus;
  errorCode: string | null;
  errorMessage: string | null;
  chunkCount: number;
  indexedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentChunk {
  ordinal: number;
  text: string;
  anchor: Anchor;
}

export interface DocumentText {
  document: DocumentRecord;
  chunks: DocumentChunk[];
}

export const SOURCE_KINDS = ['upload', 'folder', 'postgres', 'mysql', 'sqlite'] as const;
export const DATABASE_KINDS = ['postgres', 'mysql', 'sqlite'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export interface Source {
  id: string;
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  status: 'idle' | 'syncing' | 'failed';
  lastSyncAt: string | null;
  lastError: string | null;
  createdAt: string;
  documents: { indexed: number; failed: number; skipped: number };
}

export interface JobProgress {
  done: number;
  total?: number;
  unit?: string;
  phase?: string;
  bytesDone?: number;
  bytesTotal?: number;
  indexed?: number;
  unchanged?: number;
  skipped?: number;
  failed?: number;
  deleted?: number;
  elapsedMs?: number;
}

export interface Job {
  id: string;
  name: string;
  state: 'queued' | 'running' | 'succeeded' | 'dead';
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  progress: JobProgress | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface UploadResult {
  fileName: string | null;
  status: 'indexed' | 'unchanged' | 'failed' | 'skipped';
  document: DocumentRecord;
  error?: { code: string; message: string };
}

// ---------- assistant ----------

export type AnswerMode = 'extractive' | 'generative';

export interface Citation {
  n: number;
  documentId: string;
  title: string;
  uri: string;
  anchor: Anchor;
  quote: string;
  chunkOrdinal: number;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  mode: AnswerMode | null;
  found: boolean | null;
  status: 'complete' | 'incomplete';
  createdAt: string;
  citations: Citation[];
  feedback: { rating: 'good' | 'bad'; comment: string | null } | null;
}

export interface ConversationDetail extends Conversation {
  messages: ConversationMessage[];
}

// ---------- data: questions over the company's databases (src/api/v1/data) ----------

export interface DataColumn {
  name: string;
  /** From the company's semantic model: data, shown as written. */
  label: string;
  role: 'dimension' | 'measure' | 'metric';
  /** 'yen' | 'percent' | 'number' | 'time' | 'category' … */
  format: string;
  grain?: string;
}

export type DataRow = Record<string, unknown>;

export interface DataAnswer {
  kind: 'answer';
  query: unknown;
  columns: DataColumn[];
  rows: DataRow[];
  sql: { sql: string; params: (string | number)[] }[];
  truncated: boolean;
  notes: string[];
  modelVersion: number;
  /** A Vega-Lite v5 spec with its data inline, or null when a table says it better. */
  chart: Record<string, unknown> | null;
  narrative: string;
  parser: string;
}

export interface DataClarification {
  kind: 'clarification';
  reason: string;
  /** "日本語 / English" */
  question: string;
  choices: { label: string; value: string }[];
  modelVersion: number;
}

export type DataAskResponse = DataAnswer | DataClarification;

export interface DataModel {
  version: number;
  yaml: string;
  model: {
    source?: string;
    measures?: { name: string; label: string }[];
    dimensions?: { name: string; label: string }[];
  };
  origin: 'proposed' | 'edited';
  createdBy: string | null;
  createdAt: string;
}
