import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultBook } from './faults';
import { readBody, sleep, writeJson } from './http';
import { applyProfile, describeProfile, isProfileName, PROFILE_NAMES } from './profiles';
import type { FaultRule, ProviderModule, RequestContext, SandboxConfig } from './types';
import { WebhookSender } from './webhooks';

export interface SandboxDeps {
  config: SandboxConfig;
  faults: FaultBook;
  webhooks: WebhookSender;
  /** Every provider request received, for tests ("exactly one call reached the provider"). */
  requests: { provider: string; operation: string; method: string; path: string; body: string; at: string }[];
}

export type ModuleFactory = (deps: SandboxDeps) => ProviderModule;

export interface Sandbox {
  url: string;
  server: Server;
  deps: SandboxDeps;
  modules: ProviderModule[];
  close(): Promise<void>;
}

const DEFAULT_FAULT_STATUS = { forage: 500, frontpayment: 510 } as const;

/**
 * The provider emulator: one HTTP server, the providers' real paths, and a control API under
 * /__control for tests (faults, settlement, configuration, state).
 */
export async function startSandbox(config: SandboxConfig, factories: ModuleFactory[]): Promise<Sandbox> {
  const deps: SandboxDeps = {
    config,
    faults: new FaultBook(),
    webhooks: new WebhookSender(() => config.webhooks),
    requests: [],
  };
  const modules = factories.map((make) => make(deps));
  const initial = structuredClone({ ...config, dataset: undefined });
  const sockets = new Set<import('node:net').Socket>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const method = req.method ?? 'GET';
    let rawBody = '';
    try {
      rawBody = await readBody(req);
    } catch {
      writeJson(res, 413, { detail: 'Request body too large.' });
      return;
    }
    const ctx: RequestContext = {
      req,
      res,
      method,
      url,
      path: url.pathname,
      rawBody,
      send: (status, body, headers) => writeJson(res, status, body, headers),
    };
    try {
      if (url.pathname.startsWith('/__control/')) {
        await control(ctx);
        return;
      }
      for (const mod of modules) {
        const operation = mod.operationFor(method, url.pathname);
        if (operation === null) continue;
        deps.requests.push({
          provider: mod.name,
          operation,
          method,
          path: url.pathname,
          body: rawBody,
          at: new Date().toISOString(),
        });
        await dispatch(mod, operation, ctx);
        return;
      }
      writeJson(res, 404, { detail: 'Not found.' });
    } catch (error) {
      console.error('[sandbox] handler failed', error);
      writeJson(res, 500, { detail: 'Sandbox error.' });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function dispatch(mod: ProviderModule, operation: string, ctx: RequestContext) {
    const fault = deps.faults.take(mod.name, operation);
    if (!fault) return mod.handle(ctx);
    const status = fault.status ?? DEFAULT_FAULT_STATUS[mod.name as keyof typeof DEFAULT_FAULT_STATUS] ?? 500;
    switch (fault.mode) {
      case 'latency':
        await sleep(fault.latencyMs ?? 1000);
        return mod.handle(ctx);
      case 'hang':
        await sleep(fault.latencyMs ?? 120_000);
        ctx.res.destroy();
        return;
      case 'rate_limit':
        return ctx.send(
          429,
          mod.name === 'forage'
            ? forageError(ctx.path, 'too_many_requests', 'Request was throttled.')
            : fpError(429, 'Too Many Attempts.'),
          {
            'retry-after': String(fault.retryAfterSeconds ?? 1),
          },
        );
      case 'error_before':
        return ctx.send(status, serverErrorBody(mod, ctx.path, status));
      case 'error_after':
      case 'drop_after':
      case 'hang_after': {
        let captured: Parameters<RequestContext['send']> | null = null;
        await mod.handle({ ...ctx, send: (...args) => void (captured = args) });
        if (fault.mode === 'drop_after') {
          ctx.res.destroy();
        } else if (fault.mode === 'hang_after') {
          await sleep(fault.latencyMs ?? 120_000);
          if (captured) ctx.send(...(captured as Parameters<RequestContext['send']>));
        } else {
          ctx.send(status, serverErrorBody(mod, ctx.path, status));
        }
        return;
      }
    }
  }

  async function control(ctx: RequestContext) {
    const sub = ctx.path.slice('/__control/'.length);
    let body: Record<string, unknown> = {};
    try {
      body = ctx.rawBody ? (JSON.parse(ctx.rawBody) as Record<string, unknown>) : {};
    } catch {
      return ctx.send(400, { detail: 'The control API takes a JSON body.' });
    }
    if (ctx.method === 'POST' && sub === 'reset') {
      deps.faults.clear();
      deps.requests.length = 0;
      deps.webhooks.reset();
      Object.assign(config, structuredClone(initial), { dataset: config.dataset });
      for (const m of modules) m.reset();
      return ctx.send(200, { ok: true });
    }
    if (sub === 'faults') {
      if (ctx.method === 'DELETE') {
        deps.faults.clear();
        return ctx.send(200, { ok: true });
      }
      if (ctx.method === 'POST') {
        const rules = (Array.isArray(body.rules) ? body.rules : [body]) as FaultRule[];
        return ctx.send(200, { rules: rules.map((r) => deps.faults.add(r)) });
      }
      return ctx.send(200, { rules: deps.faults.list() });
    }
    if (ctx.method === 'POST' && sub === 'settle') {
      let settled = 0;
      for (const m of modules) if (!body.provider || body.provider === m.name) settled += await m.settleAll();
      return ctx.send(200, { settled });
    }
    if (ctx.method === 'POST' && sub === 'config') {
      deepMerge(config as unknown as Record<string, unknown>, body);
      return ctx.send(200, { ...config, dataset: undefined });
    }
    if (ctx.method === 'GET' && sub === 'config') return ctx.send(200, { ...config, dataset: undefined });
    // Named bundles of the errata switches (sandbox/profiles.ts); reset returns to the start profile.
    if (sub === 'profile') {
      if (ctx.method === 'GET') return ctx.send(200, describeProfile(config));
      if (ctx.method === 'POST') {
        const name = body?.name;
        if (!isProfileName(name)) {
          return ctx.send(400, { detail: `Unknown profile ${JSON.stringify(name ?? null)}.`, profiles: PROFILE_NAMES });
        }
        applyProfile(config, name);
        return ctx.send(200, describeProfile(config));
      }
    }
    if (ctx.method === 'GET' && sub === 'requests') return ctx.send(200, { requests: deps.requests });
    if (ctx.method === 'GET' && sub === 'webhooks') {
      await deps.webhooks.idle();
      return ctx.send(200, { deliveries: deps.webhooks.log });
    }
    for (const m of modules) {
      if (sub.startsWith(`${m.name}/`) && (await m.control(ctx, sub.slice(m.name.length + 1)))) return;
    }
    ctx.send(404, { detail: 'Unknown control route.' });
  }

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    server,
    deps,
    modules,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The body of an injected server error: the module's own (if it has one) or the provider's envelope. */
function serverErrorBody(mod: ProviderModule, path: string, status: number): unknown {
  if (mod.errorBody) return mod.errorBody(status);
  return mod.name === 'forage'
    ? forageError(path, 'server_error', 'Internal server error.')
    : fpError(status, 'somethingWentWrong');
}

/** Forage's error envelope (forage.md §8). */
export function forageError(path: string, code: string, message: string, source?: { resource: string; ref?: string }) {
  return { path, errors: [{ code, message, source: source ?? { resource: 'Orders', ref: '' } }] };
}

/** Frontpayment's error envelope (frontpayment.md §2). */
export function fpError(status: number, message: string, extra: Record<string, unknown> = { is_error: true, errors: null }) {
  const statusMessage: Record<number, string> = {
    400: 'Conflict of Business Logic',
    401: 'Unauthorized',
    404: 'Not Found',
    417: 'Client Error',
    429: 'Too Many Requests',
    510: 'Execution Exception Occurred',
  };
  return { status_code: status, status_message: statusMessage[status] ?? 'Error', message, ...extra };
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>) {
  for (const [key, value] of Object.entries(patch)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key] && typeof target[key] === 'object') {
      deepMerge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      target[key] = value;
    }
  }
}
