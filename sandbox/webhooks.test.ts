import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sandboxConfig } from './config';
import type { SandboxConfig } from './types';
import { WebhookSender } from './webhooks';

/** The sandbox's webhook sender retries a failed delivery with exponential backoff (forage.md errata 4). */

let receiver: Server;
let target: string;
let failuresLeft = 0;
const bodies: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500).end();
      } else res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/forage`;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));
afterEach(() => {
  bodies.length = 0;
  failuresLeft = 0;
  vi.unstubAllEnvs();
});

const settings = (patch: Partial<SandboxConfig['webhooks']>): SandboxConfig['webhooks'] => ({
  retries: 10,
  backoffMs: 20,
  duplicate: false,
  reverseOrder: false,
  staleByMs: 0,
  ...patch,
});
const delivery = {
  group: 'r1',
  final: true,
  method: 'POST' as const,
  url: '',
  body: '{"ref":"ev1","created":"2020-01-01T00:00:00Z"}',
};

describe('WebhookSender', () => {
  it('retries a failed delivery with doubling delays until it is answered 2xx, re-sending the same body', async () => {
    failuresLeft = 3;
    const sender = new WebhookSender(() => settings({ backoffMs: 40 }));
    sender.send({ ...delivery, url: target });
    await sender.idle();
    const [record] = sender.log;
    expect(record).toMatchObject({ attempts: 4, status: 200, error: null });
    const at = record!.attemptsAt.map((t) => Date.parse(t));
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // 40, 80, 160 ms (timers may fire a little early or late, not by half).
    expect(gaps[0]).toBeGreaterThanOrEqual(30);
    expect(gaps[1]).toBeGreaterThanOrEqual(70);
    expect(gaps[2]).toBeGreaterThanOrEqual(150);
    expect(new Set(bodies)).toEqual(new Set([delivery.body]));
    expect(bodies).toHaveLength(4);
  });

  it('gives up after the configured number of retries', async () => {
    failuresLeft = 100;
    const sender = new WebhookSender(() => settings({ retries: 3, backoffMs: 1 }));
    sender.send({ ...delivery, url: target });
    await sender.idle();
    expect(sender.log[0]).toMatchObject({ attempts: 4, status: 500 });
  });

  it('a reset cancels retries that are waiting', async () => {
    failuresLeft = 100;
    const sender = new WebhookSender(() => settings({ backoffMs: 60_000 }));
    sender.send({ ...delivery, url: target });
    await vi.waitFor(() => expect(bodies).toHaveLength(1));
    const started = Date.now();
    sender.reset();
    await sender.idle();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(bodies).toHaveLength(1);
  });

  it('by default retries over minutes; SANDBOX_WEBHOOK_RETRY_BASE_MS and SANDBOX_WEBHOOK_RETRIES compress it', () => {
    const span = ({ retries, backoffMs }: SandboxConfig['webhooks']) => backoffMs * (2 ** retries - 1);
    const defaults = sandboxConfig({ dataset: {} as SandboxConfig['dataset'] }).webhooks;
    expect(span(defaults)).toBeGreaterThan(10 * 60_000);
    vi.stubEnv('SANDBOX_WEBHOOK_RETRY_BASE_MS', '5');
    vi.stubEnv('SANDBOX_WEBHOOK_RETRIES', '4');
    expect(sandboxConfig({ dataset: {} as SandboxConfig['dataset'] }).webhooks).toMatchObject({ backoffMs: 5, retries: 4 });
  });
});
