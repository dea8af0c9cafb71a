// Runs after `npm run build:web`: fails when the console's initial JavaScript (what index.html loads
// before anything else: its module scripts and their modulepreloads) exceeds the budget, gzipped.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 350;
const dist = fileURLToPath(new URL('../web/dist/', import.meta.url));
const indexFile = path.join(dist, 'index.html');
if (!existsSync(indexFile)) {
  console.error('check-bundle-size: web/dist/index.html is missing; run "npm run build:web" first.');
  process.exit(1);
}

const html = readFileSync(indexFile, 'utf8');
const scripts = new Set();
for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
  const isModuleScript = tag.startsWith('<script') && /\btype="module"/.test(tag);
  const isPreload = tag.startsWith('<link') && /\brel="modulepreload"/.test(tag);
  const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
  if ((isModuleScript || isPreload) && url && !/^[a-z]+:/i.test(url)) scripts.add(url.replace(/^\//, ''));
}
if (scripts.size === 0) {
  console.error('check-bundle-size: found no script in web/dist/index.html.');
  process.exit(1);
}

let total = 0;
for (const file of scripts) {
  const gz = gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
  total += gz;
  console.log(`  ${file.padEnd(44)} ${(gz / 1024).toFixed(1).padStart(7)} KB gz`);
}
const kb = total / 1024;
const verdict = kb <= BUDGET_KB ? 'ok' : 'OVER BUDGET';
console.log(`console initial JavaScript: ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB): ${verdict}`);
if (kb > BUDGET_KB) process.exit(1);
