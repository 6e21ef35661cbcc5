#!/usr/bin/env node
// The server Playwright tests against: the production build, a brand-new embedded database with
// the demo data, on its own port. Started and stopped by playwright.config.ts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
// The end-to-end build: the test hooks compiled in (RD_TEST_HOOKS=1, app/api/testing), in its own
// folder so that `npm start`, which serves .next, never serves it. scripts/test.mjs builds it.
const distDir = process.env.NEXT_DIST_DIR || '.next-e2e';
const buildFile = path.join(root, distDir, 'required-server-files.json');
const built = existsSync(buildFile) ? JSON.parse(readFileSync(buildFile, 'utf8')).config?.env?.RD_TEST_HOOKS : undefined;
if (built !== '1') {
  console.error(
    `\n✖ ${distDir}/ holds no end-to-end build (${built === undefined ? 'none' : 'built without RD_TEST_HOOKS=1'}). Build it with\n` +
      `  RD_TEST_HOOKS=1 NEXT_DIST_DIR=${distDir} npx next build\n(npm test does this before the end-to-end tests).\n`,
  );
  process.exit(1);
}
const dataDir = path.join(root, 'data', 'e2e-pglite');
const appPort = process.env.E2E_PORT || '3210';
const sandboxPort = process.env.E2E_SANDBOX_PORT || '4210';
const checkpointDir = path.join(root, 'data', 'e2e-audit-checkpoints');
rmSync(dataDir, { recursive: true, force: true });
rmSync(checkpointDir, { recursive: true, force: true });
const env = {
  ...process.env,
  PGLITE_DATA_DIR: dataDir,
  AUTH_SECRET: process.env.AUTH_SECRET || 'e2e-only-secret-not-for-production-0123456789',
  AUTH_TRUST_HOST: 'true',
  DATABASE_URL: '',
  MIGRATION_DATABASE_URL: '',
  // The audit chain's key and checkpoints belong to this throwaway database, not ./data's.
  AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY || 'e2e-only-audit-key-not-for-production-0123456789',
  AUDIT_CHECKPOINT_DIR: checkpointDir,
  PROVIDERS: 'sandbox',
  SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
  JOBS_POLL_MS: '300',
  // `next start` reads distDir from next.config.js, which takes it from here.
  NEXT_DIST_DIR: distDir,
  // Turns on /api/testing/* (app/api/testing), which this build has compiled in: the expiry job run
  // for one request "as of" a later time.
  E2E_TEST_HOOKS: '1',
};
const seed = spawnSync('npx', ['tsx', 'demo/seed-cli.ts'], { stdio: 'inherit', env });
if (seed.status !== 0) process.exit(seed.status ?? 1);
// The provider sandbox, settling refunds after a short delay and calling the app's webhooks.
const sandbox = spawn('npx', ['tsx', 'sandbox/main.ts'], {
  stdio: 'inherit',
  env: { ...env, SANDBOX_PORT: sandboxPort, SANDBOX_APP_URL: `http://127.0.0.1:${appPort}`, SANDBOX_SETTLE_MS: '1500' },
});
const server = spawn('npx', ['next', 'start', '-p', appPort], { stdio: 'inherit', env });
const children = [sandbox, server];
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => children.forEach((child) => child.kill(signal)));
for (const child of children) {
  child.on('exit', (code) => {
    children.forEach((other) => other !== child && other.kill('SIGTERM'));
    process.exit(code ?? 0);
  });
}
