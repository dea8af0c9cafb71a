// Runs before `npm start` and `npm test` (after ensure-deps.mjs): builds the web console once when
// web/dist is missing, so `kura serve` has a console to serve on a fresh clone.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const root = new URL('..', import.meta.url);
if (existsSync(new URL('web/dist/index.html', root))) process.exit(0);

console.log('kura: building the web console (first run only: npm run build:web)…');
try {
  execSync('npm run build:web --silent', { stdio: 'inherit', cwd: root });
} catch {
  console.error(
    'kura: building the web console failed; the API works, the console at / does not. See the output above.',
  );
  process.exit(1);
}
console.log('kura: web console built into web/dist.');
