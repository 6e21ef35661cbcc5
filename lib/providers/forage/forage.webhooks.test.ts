import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, sandboxConfig } from '@/sandbox/config';
import { forageModule } from '@/sandbox/forage';
import { pacificTimestamp } from '@/sandbox/http';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { createForageClient } from './client';
import { expectAccepted } from '@/test/providers/forage/checks';
import { amountFrom, clientFor, harnessFor, RD100002, refundRequest, type Harness } from '@/test/providers/forage/harness';

/** REFUND_STATUS_UPDATED webhooks: signed by the sandbox, verified and parsed by the client. */

const secret = SANDBOX_CREDENTIALS.forage.webhookSecret;
const url = new URL('http://localhost/api/webhooks/forage');
const sign = (body: string, key: string = secret) => createHmac('sha256', key).update(body).digest('hex');

function event(overrides: { created?: string; status?: string } = {}) {
  return JSON.stringify({
    ref: 'ev12345678',
    type: 'REFUND_STATUS_UPDATED',
    created: overrides.created ?? pacificTimestamp(),
    data: {
      refund_ref: '4c1e9a72bd',
      order_ref: 'e0f7607d5f',
      payment_ref: 'f587edf124',
      amount: '4.99',
      funding_type: 'ebt_snap',
      status: overrides.status ?? 'succeeded',
      merchant_id: '2fb3asdz40',
      merchant_fns: '9000055',
      external_order_id: null,
    },
  });
}

describe('verifyWebhook / parseWebhook', () => {
  // Verification is local: the client needs no reachable Forage for it.
  const client = clientFor(harnessFor('http://127.0.0.1:9'));
  const verify = (rawBody: string, signature: string | null, now?: Date) =>
    client.verifyWebhook({ rawBody, headers: new Headers(signature ? { 'Webhook-Signature': signature } : {}), url, now });

  it('accepts a genuine signed body, whatever the header name case', () => {
    const body = event();
    expect(verify(body, sign(body))).toEqual({ ok: true });
    expect(client.verifyWebhook({ rawBody: body, headers: new Headers({ 'WEBHOOK-SIGNATURE': sign(body) }), url })).toEqual({
      ok: true,
    });
  });

  it('rejects a tampered body, a wrong secret, a missing or garbled signature', () => {
    const body = event();
    expect(verify(body.replace('4.99', '49.99'), sign(body))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(body, sign(body, 'another-secret'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(body, null)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(body, 'zz-not-hex')).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(body, sign(body).slice(0, 32))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts a genuine delivery however late (Forage retries for hours); refuses a tampered late one', () => {
    const now = new Date();
    const at = (offsetMs: number) => event({ created: pacificTimestamp(new Date(now.getTime() + offsetMs)) });
    const check = (body: string) => verify(body, sign(body), now);
    for (const late of [-4 * 60_000, -6 * 60_000, -60 * 60_000, -3 * 24 * 60 * 60_000]) {
      expect(check(at(late))).toEqual({ ok: true });
    }
    const late = at(-60 * 60_000);
    expect(verify(late.replace('4.99', '49.99'), sign(late), now)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a `created` in the future beyond the 5-minute clock-skew tolerance (configurable)', () => {
    const now = new Date();
    const at = (offsetMs: number) => event({ created: pacificTimestamp(new Date(now.getTime() + offsetMs)) });
    const check = (body: string) => verify(body, sign(body), now);
    expect(check(at(2 * 60_000))).toEqual({ ok: true });
    expect(check(at(10 * 60_000))).toEqual({ ok: false, reason: 'stale' });
    const strict = clientFor(harnessFor('http://127.0.0.1:9'), { webhookToleranceMs: 30_000 });
    const ahead = at(60_000);
    expect(
      strict.verifyWebhook({ rawBody: ahead, headers: new Headers({ 'Webhook-Signature': sign(ahead) }), url, now }),
    ).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('does not refuse a genuine delivery for an unreadable `created`: it is dated when received', () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const body = event({ created: 'sometime' });
    expect(verify(body, sign(body), now)).toEqual({ ok: true });
    const at = createForageClient({ ...SANDBOX_CREDENTIALS.forage, baseUrl: 'http://127.0.0.1:9', now: () => now });
    expect(at.parseWebhook({ rawBody: body, url }).createdAt).toEqual(now);
    expect(client.parseWebhook({ rawBody: event({ created: '2023-11-08T10:57:31.000000Z-07:00' }), url }).createdAt).toEqual(
      new Date('2023-11-08T17:57:31.000Z'),
    );
  });

  it('calls a signed body that is not a Forage event malformed', () => {
    for (const body of ['not json', '{"ref":"x"}', event().replace('"4.99"', '"4.999"')]) {
      expect(verify(body, sign(body))).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('parses the event', () => {
    const created = '2025-03-04T10:15:06.698516-08:00';
    expect(client.parseWebhook({ rawBody: event({ created }), url })).toMatchObject({
      provider: 'forage',
      eventId: 'ev12345678',
      type: 'REFUND_STATUS_UPDATED',
      createdAt: new Date('2025-03-04T18:15:06.698Z'),
      orderRef: 'e0f7607d5f',
      refundRef: '4c1e9a72bd',
      status: 'succeeded',
      amountMinor: 499,
    });
  });
});

describe('webhooks end to end: sandbox → receiver → client', () => {
  let receiver: Server;
  let sandbox: Sandbox;
  let h: Harness;
  const received: { path: string; headers: Headers; rawBody: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
        received.push({ path: req.url ?? '', headers, rawBody: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const appUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    sandbox = await startSandbox(sandboxConfig({ port: 0, host: '127.0.0.1', settleMode: 'manual', appUrl }), [forageModule]);
    h = harnessFor(sandbox.url);
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(async () => {
    await h.control.reset();
    received.length = 0;
  });

  /** Waits for the sandbox's deliveries to finish, then verifies and parses each. */
  async function deliveries() {
    await fetch(`${h.baseUrl}/__control/webhooks`);
    const client = clientFor(h);
    return received.map((d) => ({
      path: d.path,
      verification: client.verifyWebhook({ rawBody: d.rawBody, headers: d.headers, url }),
      event: client.parseWebhook({ rawBody: d.rawBody, url }),
    }));
  }

  it('sends signed REFUND_STATUS_UPDATED on every status change: processing, then succeeded', async () => {
    const result = expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    const created = await deliveries();
    expect(created.map((d) => d.event.status)).toEqual(['processing', 'processing']);
    await h.control.settle();
    const all = await deliveries();
    expect(all).toHaveLength(4);
    for (const d of all) {
      expect(d.path).toBe('/api/webhooks/forage');
      expect(d.verification).toEqual({ ok: true });
      expect(d.event).toMatchObject({ type: 'REFUND_STATUS_UPDATED', orderRef: RD100002.ref });
    }
    for (const refund of result.refunds) {
      const mine = all.filter((d) => d.event.refundRef === refund.ref);
      expect(mine.map((d) => d.event.status)).toEqual(['processing', 'succeeded']);
      expect(mine.every((d) => d.event.amountMinor === refund.amountMinor)).toBe(true);
    }
    expect(new Set(all.map((d) => d.event.eventId)).size).toBe(4);
  });

  it('announces a failure, with its reason', async () => {
    await h.control.nextOutcome({ outcome: 'failed', error: 'Issuer unavailable.' });
    const request = refundRequest({ ...amountFrom(RD100002.cardPayment, 'credit_tpp'), totalMinor: 100 });
    expectAccepted(await clientFor(h).submitRefund(request));
    await h.control.settle();
    const last = (await deliveries()).at(-1)!;
    expect(last.verification).toEqual({ ok: true });
    expect(last.event.status).toBe('failed');
    expect((last.event.raw as { data: { last_processing_error: string } }).data.last_processing_error).toBe(
      'Issuer unavailable.',
    );
  });

  it('status-only mode: the failure webhook carries no reason; reading the refund gives it', async () => {
    await h.control.config({ forage: { webhookErrorInPayload: false } });
    await h.control.nextOutcome({ outcome: 'failed', error: 'Issuer unavailable.' });
    const request = refundRequest({ ...amountFrom(RD100002.cardPayment, 'credit_tpp'), totalMinor: 100 });
    const [created] = expectAccepted(await clientFor(h).submitRefund(request)).refunds;
    await h.control.settle();
    const last = (await deliveries()).at(-1)!;
    expect(last.event.status).toBe('failed');
    expect((last.event.raw as { data: Record<string, unknown> }).data).not.toHaveProperty('last_processing_error');
    expect(clientFor(h).profile.interpretWebhook(last.event.type, last.event.raw)).toMatchObject({
      status: 'failed',
      failure: null,
    });
    const read = await clientFor(h).readStatus(RD100002.ref);
    if (!read.ok) throw new Error(read.code);
    expect(read.refunds.find((r) => r.ref === created!.ref)).toMatchObject({
      status: 'failed',
      lastError: 'Issuer unavailable.',
    });
  });

  it('stale mode: events stamped long ago are still genuine and accepted', async () => {
    await h.control.config({ webhooks: { staleByMs: 10 * 60_000 } });
    expectAccepted(await clientFor(h).submitRefund(refundRequest()));
    const all = await deliveries();
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((d) => d.verification.ok)).toBe(true);
    for (const d of all) expect(Date.now() - d.event.createdAt.getTime()).toBeGreaterThan(9 * 60_000);
  });
});
