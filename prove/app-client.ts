/**
 * The app as a browser reaches it, for the proof parts that go through HTTP (instances, input):
 * `next start` processes on one PostgreSQL database, signing in with the real sign-in action, and
 * calling any server action by its exported name the way React's client does (the action's id
 * from the build's server-reference manifest, the arguments encoded with React's own
 * `encodeReply`, the answer decoded with `createFromFetch`), and route handlers with the session.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort, startChild, type Child } from './harness';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
// React's Flight client, as Next.js bundles it for the browser (the Node build of the same code).
const flight = require('next/dist/compiled/react-server-dom-webpack/client.node') as {
  encodeReply(value: unknown): Promise<string | FormData>;
};

/**
 * The action's return value from a Flight answer. Row 0 names it (`"a":"$@<row>"`); the row holds
 * it as JSON. An action that revalidates also sends the page again, whose client components this
 * process cannot load, so the rows are read directly rather than through React's decoder. Action
 * results here are plain data (`{ ok, data | error }`), which is all that this needs.
 */
export function actionResult<T>(flight: string): T | null {
  const rows = new Map<string, string>();
  for (const line of flight.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  try {
    const head = JSON.parse(rows.get('0') ?? 'null') as { a?: unknown } | null;
    const ref = typeof head?.a === 'string' ? /^\$@([0-9a-f]+)$/.exec(head.a) : null;
    if (!ref) return (head?.a ?? null) as T | null;
    return JSON.parse(rows.get(ref[1]!) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

/**
 * The build the proof serves: PROVE_DIST_DIR, else the end-to-end build npm test makes
 * (.next-e2e), else `npm run build`'s .next. Null when there is none.
 */
export function proveBuildDir(): string | null {
  const candidates = [process.env.PROVE_DIST_DIR, '.next-e2e', '.next'].filter(Boolean) as string[];
  return candidates.find((dir) => existsSync(path.join(root, dir, 'server', 'server-reference-manifest.json'))) ?? null;
}

export interface ActionRef {
  id: string;
  file: string;
  name: string;
  /** A page whose module holds the action (the URL it is posted to, as the browser does). */
  page: string;
}

/** Every server action of the build, by `file#exportedName`. */
export function serverActions(distDir: string): Map<string, ActionRef> {
  const manifest = JSON.parse(readFileSync(path.join(root, distDir, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  const actions = new Map<string, ActionRef>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const worker = Object.keys(entry.workers)[0] ?? 'app/page';
    actions.set(`${entry.filename}#${entry.exportedName}`, {
      id,
      file: entry.filename,
      name: entry.exportedName,
      page: pageUrl(worker),
    });
  }
  return actions;
}

/** 'app/(dashboard)/orders/[orderId]/page' → '/orders/x' (dynamic segments filled with a placeholder). */
function pageUrl(worker: string) {
  const segments = worker
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? '00000000-0000-4000-8000-000000000000' : s));
  return `/${segments.join('/')}`;
}

/** `next start` on a free port with the app's environment; resolves when it answers. */
export async function startAppServer(
  name: string,
  distDir: string,
  env: Record<string, string>,
): Promise<Child & { url: string; port: number }> {
  const port = await freePort();
  const child = await startChild(
    name,
    [
      process.execPath,
      path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    { AUTH_TRUST_HOST: 'true', NEXT_DIST_DIR: distDir, ...env },
    /Ready in|started server on/i,
    { timeoutMs: 90_000 },
  );
  const url = `http://127.0.0.1:${port}`;
  return Object.assign(child, { url, port });
}

export interface ActionAnswer<T = unknown> {
  status: number;
  /** The action's return value (decoded), or null when the answer was not an action result. */
  value: T | null;
  /** The raw body when it could not be decoded (an error page, a redirect…). */
  raw: string | null;
  redirect: string | null;
}

/** A browser's session with one app server: its cookies, and calls to actions and routes. */
export class AppSession {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    readonly actions: Map<string, ActionRef>,
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const key = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(key);
      else this.cookies.set(key, value);
    }
  }

  /** A plain request with this session's cookies (and the same-origin headers a browser sends). */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', this.cookieHeader());
    headers.set('origin', this.baseUrl);
    const response = await fetch(`${this.baseUrl}${pathname}`, { redirect: 'manual', ...init, headers });
    this.keepCookies(response);
    return response;
  }

  /**
   * Calls a server action by `file#exportedName` with `args`, exactly as React's client would
   * (Next-Action header, encodeReply body, Flight answer).
   */
  async action<T = unknown>(key: string, args: unknown[], options: { page?: string } = {}): Promise<ActionAnswer<T>> {
    const ref = this.actions.get(key);
    if (!ref) throw new Error(`no server action ${key} in this build`);
    const body = await flight.encodeReply(args);
    const headers: Record<string, string> = { accept: 'text/x-component', 'next-action': ref.id };
    if (typeof body === 'string') headers['content-type'] = 'text/plain;charset=UTF-8';
    const response = await this.request(options.page ?? ref.page, { method: 'POST', headers, body });
    const redirect = response.headers.get('x-action-redirect') ?? response.headers.get('location');
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/x-component')) {
      return { status: response.status, value: null, raw: await response.text(), redirect };
    }
    const text = await response.text();
    const value = actionResult<T>(text);
    return { status: response.status, value, raw: value === null ? text : null, redirect };
  }

  /** Signs in through the sign-in page's real action; throws when refused. */
  async signIn(email: string, password: string) {
    const form = new FormData();
    form.set('email', email);
    form.set('password', password);
    form.set('callbackUrl', '/');
    const answer = await this.action('lib/auth/actions.ts#signInAction', [null, form], { page: '/signin' });
    if (![...this.cookies.keys()].some((k) => k.includes('session-token'))) {
      throw new Error(`sign-in as ${email} refused: ${JSON.stringify(answer.value ?? answer.raw?.slice(0, 300))}`);
    }
  }
}
