#!/usr/bin/env node
// `npm start`: the one command that shows Refund Desk working on a fresh machine.
// Installs dependencies if they are missing, builds when the sources are newer than the last
// build, applies migrations (as MIGRATION_DATABASE_URL's role when set), loads the demo data,
// prints the demo logins and serves the app.
// Plain Node with no dependencies, so it runs before `npm ci` has.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const port = process.env.PORT || '3000';
const env = { ...process.env };

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`\n✖ ${command} ${args.join(' ')} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.next', '.next-e2e', 'data', '.git', 'e2e', 'test-results', 'playwright-report'].includes(entry.name))
      continue;
    if (entry.name === 'test' || /\.test\.tsx?$/.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

if (!existsSync('node_modules/.package-lock.json')) {
  // Exactly the versions in the committed lockfile.
  console.log('▶ Installing dependencies…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// next-auth signs session cookies with AUTH_SECRET. Without one configured, make one for this
// machine and keep it under ./data so sessions survive restarts.
if (!env.AUTH_SECRET) {
  mkdirSync('data', { recursive: true });
  const file = path.join('data', '.auth-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  env.AUTH_SECRET = readFileSync(file, 'utf8').trim();
}
env.AUTH_TRUST_HOST ??= 'true';

// The audit chain is keyed (HMAC) with a key that must live outside the database. Without one
// configured, make one for this machine the same way, in data/.audit-key; keep a copy somewhere safe.
if (!env.AUDIT_HMAC_KEY) {
  mkdirSync('data', { recursive: true });
  const file = path.join('data', '.audit-key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  env.AUDIT_HMAC_KEY = readFileSync(file, 'utf8').trim();
}

const buildId = path.join('.next', 'BUILD_ID');
if (!existsSync(buildId) || newestMtime(root) > statSync(buildId).mtimeMs) {
  console.log('▶ Building the app (next build)…');
  run('npx', ['next', 'build']);
}

console.log(
  env.DATABASE_URL
    ? `▶ Using PostgreSQL from DATABASE_URL${env.MIGRATION_DATABASE_URL ? ', migrating as MIGRATION_DATABASE_URL' : ''}`
    : '▶ Using the embedded database in ./data/pglite',
);
// No real provider credentials: the provider sandbox runs beside the app, so the whole flow works.
const useSandbox = !env.PROVIDERS && !env.FORAGE_CLIENT_ID && !env.FRONTPAYMENT_TOKEN;
const sandboxPort = env.SANDBOX_PORT || '4010';
if (useSandbox) {
  env.PROVIDERS = 'sandbox';
  env.SANDBOX_URL = `http://127.0.0.1:${sandboxPort}`;
}

// Migrations; then the demo world only in demo mode (the embedded database with the sandbox, or
// DEMO=1), and a refusal to go on when demo accounts sit beside real providers (lib/deploy/mode.ts).
run('npx', ['tsx', 'scripts/prepare-db.ts']);

const children = [];
if (useSandbox) {
  console.log(`▶ No provider credentials set: starting the Forage + Frontpayment sandbox on ${env.SANDBOX_URL}`);
  children.push(
    spawn('npx', ['tsx', 'sandbox/main.ts'], {
      stdio: 'inherit',
      env: { ...env, SANDBOX_PORT: sandboxPort, SANDBOX_APP_URL: `http://127.0.0.1:${port}` },
    }),
  );
}

console.log(`\n▶ Refund Desk is starting on http://localhost:${port}\n`);
const server = spawn('npx', ['next', 'start', '-p', port], { stdio: 'inherit', env });
children.push(server);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => children.forEach((child) => child.kill(signal)));
for (const child of children) {
  child.on('exit', (code) => {
    children.forEach((other) => other !== child && other.kill('SIGTERM'));
    process.exit(code ?? 0);
  });
}
