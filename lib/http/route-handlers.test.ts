import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UnauthenticatedError } from '@/lib/errors';
import { discoverServerSurface, ROOT } from '@/test/server-endpoints';

/**
 * Every route handler for a method that may change something (POST, PUT, PATCH, DELETE) goes
 * through `authorizeRoute` (./route.ts), whose Origin check (./origin.ts) refuses a request
 * another site could have made before anything else runs, or is exempt here with the reason. A new
 * handler that does neither fails this test; so does an exemption for a handler that is gone.
 */
const EXEMPT: Record<string, string> = {
  'app/api/webhooks/[provider]/route.ts#POST':
    'Providers call it server to server, with no Origin and no cookie; each delivery is signature-verified before anything is written (lib/webhooks/route.ts).',
  'app/api/auth/[...nextauth]/route.ts#POST':
    "Auth.js's own endpoints: every POST (sign-in, sign-out) must carry its double-submit CSRF token, and an OIDC form_post callback comes from the identity provider's origin.",
};

const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Handler {
  key: string;
  file: string;
  method: string;
  /** The handler's function, when it is declared in the file. */
  fn: ts.FunctionLikeDeclaration | null;
}

/** The exported POST/PUT/PATCH/DELETE of every app/**\/route.ts, in any export form. */
function changingHandlers(): Handler[] {
  const out: Handler[] = [];
  for (const file of discoverServerSurface().routeFiles) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (method: string, fn: ts.FunctionLikeDeclaration | null) => {
      if (CHANGING.has(method)) out.push({ key: `${file}#${method}`, file, method, fn });
    };
    const exported = (node: ts.Node) =>
      ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const bindingNames = (name: ts.BindingName): string[] =>
      ts.isIdentifier(name) ? [name.text] : name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
    for (const statement of source.statements) {
      if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) add(statement.name.text, statement);
      if (ts.isVariableStatement(statement) && exported(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : null;
          for (const name of bindingNames(declaration.name)) add(name, ts.isIdentifier(declaration.name) ? fn : null);
        }
      }
      if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) add(element.name.text, null);
      }
    }
  }
  return out;
}

/** Whether the handler calls `authorizeRoute(<its own request parameter>, …)`. */
function callsAuthorizeRoute(fn: ts.FunctionLikeDeclaration): boolean {
  const first = fn.parameters[0];
  if (!first || !ts.isIdentifier(first.name) || !fn.body) return false;
  const request = first.name.text;
  let found = false;
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'authorizeRoute' &&
      node.arguments[0] &&
      ts.isIdentifier(node.arguments[0]) &&
      node.arguments[0].text === request
    ) {
      found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body);
  return found;
}

const handlers = changingHandlers();
const checked = handlers.filter((h) => !(h.key in EXEMPT));

describe('non-GET route handlers', () => {
  it('finds the handlers it checks', () => {
    expect(handlers.map((h) => h.key)).toContain('app/api/testing/expire-approvals/route.ts#POST');
    expect(checked.length).toBeGreaterThan(0);
  });

  it('every exemption names a handler that exists, and says why', () => {
    for (const [key, reason] of Object.entries(EXEMPT)) {
      expect(
        handlers.map((h) => h.key),
        key,
      ).toContain(key);
      expect(reason.length, key).toBeGreaterThan(40);
    }
  });

  it.each(checked.map((h) => [h.key, h] as const))('%s calls authorizeRoute with its request', (_key, handler) => {
    expect(
      handler.fn && callsAuthorizeRoute(handler.fn),
      `${handler.key}: write it as \`export async function ${handler.method}(request: Request, …)\` calling ` +
        '`authorizeRoute(request, …)` before it reads or writes anything, or exempt it in this test with the reason',
    ).toBe(true);
  });
});

// What runs once a request is let through, stood in for to see whether it ran at all.
const ran = vi.hoisted(() => ({ session: 0, db: 0 }));
vi.mock('@/lib/auth/session', () => ({
  requireUser: async () => {
    ran.session += 1;
    throw new UnauthenticatedError();
  },
}));
vi.mock('@/db', () => ({
  getDb: async () => {
    ran.db += 1;
    throw new Error('the database was reached');
  },
  getDbHandle: async () => {
    ran.db += 1;
    throw new Error('the database was reached');
  },
}));

describe.each(checked.map((h) => [h.key, h] as const))('%s', (_key, handler) => {
  beforeEach(() => {
    ran.session = 0;
    ran.db = 0;
    // Test hooks on, so that the handler is there to be refused (app/api/testing).
    vi.stubEnv('RD_TEST_HOOKS', '1');
    vi.stubEnv('E2E_TEST_HOOKS', '1');
    vi.stubEnv('TRUSTED_PROXY_HOPS', '0');
  });

  async function call(headers: Record<string, string>) {
    const route = (await import(/* @vite-ignore */ path.join(ROOT, handler.file))) as Record<
      string,
      (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>
    >;
    const request = new Request('http://refunds.example.com/api/anything', {
      method: handler.method,
      headers: { host: 'refunds.example.com', 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    return route[handler.method]!(request, { params: Promise.resolve({}) });
  }

  it('refuses another site with 403 before anything runs', async () => {
    const response = await call({ origin: 'https://evil.example', cookie: 'authjs.session-token=stolen-by-the-browser' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'cross_origin' });
    expect(ran).toEqual({ session: 0, db: 0 });
  });

  it('refuses a request with the session cookie but no Origin, as no browser sends one', async () => {
    const response = await call({ cookie: 'authjs.session-token=x' });
    expect(response.status).toBe(403);
    expect(ran).toEqual({ session: 0, db: 0 });
  });

  it("lets this app's own pages through to the session check", async () => {
    const response = await call({ origin: 'https://refunds.example.com', cookie: 'authjs.session-token=x' });
    expect(response.status).toBe(401);
    expect(ran.session).toBe(1);
  });
});
