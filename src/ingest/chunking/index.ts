/** Public surface of the chunker. */
export { chunkSections } from './chunk-sections.js';
export { DEFAULT_CHUNK_OPTIONS, type Chunk, type ChunkOptions } from './chunk.js';
