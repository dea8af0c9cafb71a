// Worker-thread entry from the TypeScript sources: workers do not inherit the main thread's tsx
// hooks, so register them before loading the TypeScript (compiled, dictionary-loader-worker.js runs).
import { register } from 'tsx/esm/api';

register();
await import('./dictionary-loader-worker.ts');
