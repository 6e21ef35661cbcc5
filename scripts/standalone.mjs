#!/usr/bin/env node
// The production server (README "Run it in production"): Next's standalone output,
// `<distDir>/standalone/server.js`, which carries only the node_modules files the server needs.
//
//   node scripts/standalone.mjs prepare   copies the browser assets (<distDir>/static) and public/
//                                         next to server.js, which Next leaves out of the standalone
//                                         folder (the Dockerfile runs this after `next build`)
//   node scripts/standalone.mjs serve     prepare, then `node server.js` in that folder with the
//                                         Dockerfile's environment: what the image's CMD runs
//
// distDir is NEXT_DIST_DIR or .next, as in next.config.js. Plain Node with no dependencies.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const distDir = process.env.NEXT_DIST_DIR || '.next';
const standalone = path.join(root, distDir, 'standalone');
const command = process.argv[2];

if (command !== 'prepare' && command !== 'serve') {
  console.error('usage: node scripts/standalone.mjs prepare|serve');
  process.exit(2);
}
if (!existsSync(path.join(standalone, 'server.js'))) {
  console.error(`✖ ${path.relative(root, standalone)}/server.js is missing: build first (npm run build).`);
  process.exit(1);
}

// Fresh copies, so assets of an earlier build never linger beside this one's.
const staticTarget = path.join(standalone, distDir, 'static');
rmSync(staticTarget, { recursive: true, force: true });
cpSync(path.join(root, distDir, 'static'), staticTarget, { recursive: true });
if (existsSync(path.join(root, 'public'))) {
  rmSync(path.join(standalone, 'public'), { recursive: true, force: true });
  cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true });
}
if (!existsSync(path.join(standalone, 'db', 'migrations', 'meta', '_journal.json'))) {
  // next.config.js outputFileTracingIncludes puts them there; readiness reads the journal.
  console.error('✖ the standalone output has no db/migrations: check outputFileTracingIncludes in next.config.js.');
  process.exit(1);
}

// The native module the server needs (password hashing) must load from the standalone folder
// itself, or every sign-in would crash the server (next.config.js outputFileTracingIncludes).
const argon2 = spawnSync(process.execPath, ['-e', "require('argon2').hash('check').then(() => process.exit(0))"], {
  cwd: standalone,
  stdio: 'inherit',
});
if (argon2.status !== 0) {
  console.error(`✖ argon2 does not work from the standalone folder (exit ${argon2.status ?? argon2.signal}).`);
  process.exit(1);
}

if (command === 'prepare') {
  console.log(`Standalone server ready in ${path.relative(root, standalone)}/ (run: node server.js there).`);
  process.exit(0);
}

// As the Dockerfile's runtime stage sets them. NEXT_MANUAL_SIG_HANDLE hands SIGTERM to
// instrumentation.ts, which lets the work in flight finish before exiting (lib/deploy/shutdown.ts).
const env = {
  NODE_ENV: 'production',
  NEXT_MANUAL_SIG_HANDLE: 'true',
  NEXT_TELEMETRY_DISABLED: '1',
  HOSTNAME: '0.0.0.0',
  PORT: '3000',
  ...process.env,
};
const server = spawn(process.execPath, ['server.js'], { cwd: standalone, env, stdio: 'inherit' });
// The server handles the signal itself; this wrapper only passes it on and exits as it does.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
