import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import {
  checkGetOrder,
  checkIdempotentReplay,
  checkRefundRejections,
  checkSettlement,
  checkSplitRefund,
  checkTokenCached,
  checkTokenEndpoint,
} from '@/test/providers/forage/checks';
import { harnessFor, type Harness } from '@/test/providers/forage/harness';

/**
 * The same contract checks against the sandbox as its own process (`tsx sandbox/main.ts`), the way
 * `npm start` runs it: real sockets between processes, configuration from the environment.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
let child: ChildProcess;
let h: Harness;
let output = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(baseUrl: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sandbox exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/__control/config`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sandbox did not answer within ${timeoutMs} ms:\n${output}`);
}

beforeAll(async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SANDBOX_PORT: String(port),
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_SETTLE_MODE: 'manual',
  };
  delete env.SANDBOX_APP_URL;
  // Its own process group, so that stopping it also stops the node process under npx and tsx.
  child = spawn('npx', ['tsx', 'sandbox/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilUp(baseUrl, 30_000);
  h = harnessFor(baseUrl);
}, 40_000);

afterAll(async () => {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
});

beforeEach(() => h.control.reset());

describe('Forage contract against the sandbox process', () => {
  it('token endpoint', () => checkTokenEndpoint(h));
  it('token caching', () => checkTokenCached(h));
  it('order with payments and refunded amount', () => checkGetOrder(h));
  it('split refund by product', () => checkSplitRefund(h));
  it('4xx codes', () => checkRefundRejections(h));
  it('settlement to succeeded and failed', () => checkSettlement(h));
  it('idempotent replay after a 5xx-after-apply', () => checkIdempotentReplay(h));
});
