// Worker-thread entry: workers do not inherit the main thread's tsx hooks, so register them here
// (as bin/kura.mjs does) before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./preparation-worker.ts');
