// Worker-thread entry: workers do not inherit the main thread's tsx hooks, so register them here
// before loading the TypeScript worker (compiled, the pool starts preparation-worker.js instead).
import { register } from 'tsx/esm/api';

register();
await import('./preparation-worker.ts');
