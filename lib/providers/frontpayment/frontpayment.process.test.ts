import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { flowChecks } from '@/test/providers/frontpayment/flow-checks';
import { harness, type Harness } from '@/test/providers/frontpayment/harness';
import { refundChecks } from '@/test/providers/frontpayment/refund-checks';

/**
 * The same contract checks against the sandbox as its own process (`tsx sandbox/main.ts`), the
 * way `npm start` runs it: a representative subset, since the in-process file runs them all.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SUBSET = [
  '202 is pending until settled; then PARTIAL REFUNDED, REFUNDED, and ParamRefunded',
  '404 orderNotFound, with is_error:false',
  '417 payloadValidationErrors: a field→messages map, surfaced as fieldErrors',
  'threshold keys (is_error:true) offer approval: per request, then rolling weekly',
  'timeout after the refund was applied: unknown, one POST only, the status endpoint resolves it',
  '510 after the refund was applied: unknown (server_error), not re-sent; both spellings of the message',
  'reservation refund against a capture; a wrong reference or source is 404 TransactionNotFound',
  'approval: 201, then orderRefundRequestAlreadySubmitted; approving applies the refund',
  'getOrder: RD-100003 (regular, partly refunded) and RD-100004 (reservation, one capture)',
  'callbacks: checksummed GETs to the app, verified by the client; refund callbacks only when enabled',
];

let child: ChildProcess;
let h: Harness;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  // Its own process group, so that stopping it also stops the node process tsx starts.
  child = spawn('npx', ['tsx', 'sandbox/main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SANDBOX_PORT: String(port),
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_SETTLE_MODE: 'manual',
      SANDBOX_APP_URL: '',
    },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  h = harness(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sandbox exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${h.url}/__control/config`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`sandbox did not answer within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 40_000);

afterAll(async () => {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
});

beforeEach(() => h.control.reset());

describe('Frontpayment client ↔ sandbox contract (separate process)', () => {
  const all = { ...refundChecks, ...flowChecks };
  for (const name of SUBSET) {
    const check = all[name];
    if (!check) throw new Error(`unknown check: ${name}`);
    it(name, () => check(h));
  }
});
