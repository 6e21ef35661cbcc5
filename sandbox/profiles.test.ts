import { afterEach, describe, expect, it, vi } from 'vitest';
import { sandboxConfig } from './config';
import { frontpaymentModule } from './frontpayment';
import { PROFILE_NAMES } from './profiles';
import { startSandbox, type Sandbox } from './server';

/** Sandbox profiles (sandbox/profiles.ts): chosen at start with SANDBOX_PROFILE, switched at run time, reset to the start one. */

const dataset = { version: 1, merchants: {}, orders: [] };

afterEach(() => vi.unstubAllEnvs());

describe('SANDBOX_PROFILE at start', () => {
  it('without it, the default profile: the settings the sandbox always had', () => {
    const config = sandboxConfig({ dataset });
    expect(config.profile).toBe('default');
    expect(config.frontpayment).toMatchObject({
      statusAmounts: true,
      detailLineIds: true,
      historyUuids: true,
      checksum: { kind: 'all-in-order' },
    });
    expect(config.forage).toMatchObject({ webhookErrorInPayload: true, productKey: 'upc' });
  });

  it('selects a profile by name', () => {
    vi.stubEnv('SANDBOX_PROFILE', 'fp-checksum-v2');
    expect(sandboxConfig({ dataset })).toMatchObject({
      profile: 'fp-checksum-v2',
      frontpayment: { checksum: { kind: 'fields', fields: ['orderUuid', 'status', 'createdAt', 'amount', 'timestamp'] } },
    });
    vi.stubEnv('SANDBOX_PROFILE', 'as-documented');
    expect(sandboxConfig({ dataset })).toMatchObject({
      frontpayment: { detailLineIds: false, historyUuids: false, statusAmounts: true },
      forage: { webhookErrorInPayload: false },
    });
  });

  it('individual switches override the profile', () => {
    vi.stubEnv('SANDBOX_PROFILE', 'as-documented');
    vi.stubEnv('SANDBOX_FP_DETAIL_LINE_IDS', '1');
    vi.stubEnv('SANDBOX_FORAGE_WEBHOOK_ERROR_IN_PAYLOAD', '1');
    vi.stubEnv('SANDBOX_FP_CHECKSUM', 'fields:orderUuid,status,createdAt');
    expect(sandboxConfig({ dataset })).toMatchObject({
      profile: 'as-documented',
      frontpayment: {
        detailLineIds: true,
        historyUuids: false,
        checksum: { kind: 'fields', fields: ['orderUuid', 'status', 'createdAt'] },
      },
      forage: { webhookErrorInPayload: true },
    });
    vi.stubEnv('SANDBOX_PROFILE', 'fp-status-without-amounts');
    vi.stubEnv('SANDBOX_FP_STATUS_AMOUNTS', '1');
    expect(sandboxConfig({ dataset }).frontpayment.statusAmounts).toBe(true);
  });

  it('an unknown name fails loudly, naming the profiles', () => {
    vi.stubEnv('SANDBOX_PROFILE', 'fp-checksum-v9');
    expect(() => sandboxConfig({ dataset })).toThrow(/fp-checksum-v9.*default, fp-status-without-amounts/);
  });
});

describe('/__control/profile', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function call(path: string, body?: unknown) {
    const response = await fetch(`${sandbox!.url}/__control/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('shows the active profile, switches it, refuses unknown names with the list, and reset returns to the start one', async () => {
    vi.stubEnv('SANDBOX_FP_HISTORY_UUIDS', '0');
    sandbox = await startSandbox(sandboxConfig({ port: 0, dataset, appUrl: null, profile: 'fp-checksum-v1' }), [
      frontpaymentModule,
    ]);
    const start = await call('profile');
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({
      name: 'fp-checksum-v1',
      settings: {
        frontpayment: { checksum: { kind: 'fields', fields: ['orderUuid', 'status', 'createdAt'] }, historyUuids: false },
      },
      // The environment switch, where it differs from the profile.
      overrides: { 'frontpayment.historyUuids': false },
      profiles: PROFILE_NAMES,
    });

    const switched = await call('profile', { name: 'fp-status-without-amounts' });
    expect(switched.status).toBe(200);
    // A run-time switch applies the profile in full: nothing of the previous one stays.
    expect(switched.body).toMatchObject({
      name: 'fp-status-without-amounts',
      settings: { frontpayment: { statusAmounts: false, historyUuids: true, checksum: { kind: 'all-in-order' } } },
      overrides: {},
    });
    expect((await call('config')).body).toMatchObject({
      profile: 'fp-status-without-amounts',
      frontpayment: { statusAmounts: false },
    });

    const unknown = await call('profile', { name: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ profiles: PROFILE_NAMES });
    expect((await call('profile')).body).toMatchObject({ name: 'fp-status-without-amounts' });

    await call('config', { frontpayment: { detailLineIds: false } });
    expect((await call('profile')).body).toMatchObject({ overrides: { 'frontpayment.detailLineIds': false } });

    await call('reset', {});
    expect((await call('profile')).body).toMatchObject({
      name: 'fp-checksum-v1',
      settings: { frontpayment: { statusAmounts: true, detailLineIds: true, historyUuids: false } },
    });
  });

  it('answers a body that is not JSON with a 400', async () => {
    sandbox = await startSandbox(sandboxConfig({ port: 0, dataset, appUrl: null }), [frontpaymentModule]);
    const response = await fetch(`${sandbox.url}/__control/profile`, { method: 'POST', body: '{name:' });
    expect(response.status).toBe(400);
  });
});
