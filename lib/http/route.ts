import 'server-only';
import { getDb } from '@/db';
import { actorContext, recordAudit } from '@/lib/audit';
import { can, type Permission } from '@/lib/auth/permissions';
import { requireUser, type SessionUser } from '@/lib/auth/session';
import { GENERIC_ERROR_MESSAGE, SafeError, UnauthenticatedError } from '@/lib/errors';
import { log } from '@/lib/log';
import { metaFromHeaders, type RequestMeta } from '@/lib/request';
import { originRefusal } from './origin';

/** JSON that no cache keeps: every answer of a route handler here is about one user's data. */
export function jsonResponse(status: number, body: Record<string, unknown>) {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/** A 500 with a reference the user can quote; the error itself goes to the log only. */
export function internalError(meta: RequestMeta, error: unknown, what: string) {
  log.error({ err: error, requestId: meta.requestId }, what);
  return jsonResponse(500, { error: `${GENERIC_ERROR_MESSAGE} (ref ${meta.requestId})`, code: 'internal' });
}

/**
 * What `defineAction` does for server actions, for route handlers: the signed-in user as the users
 * table has them now, holding every named permission, and the request's meta. Every route handler
 * but the exempt ones (lib/http/route-handlers.test.ts) starts with it.
 *
 * A request that may change something (any method but GET, HEAD, OPTIONS) must come from this
 * app's own pages: a foreign Origin, or none with cookies (./origin.ts), is a 403 before anything
 * else runs, session lookup included (Next.js checks server actions alike; route handlers get no
 * such check from it). Signed out → 401; anything else refused → 403, and a missing permission is
 * audited as `access.denied` (PCI DSS 10.2.1.4).
 */
export async function authorizeRoute(
  request: Request,
  route: string,
  permissions: readonly Permission[],
): Promise<{ ok: true; user: SessionUser; meta: RequestMeta } | { ok: false; response: Response }> {
  const meta = metaFromHeaders(request.headers);
  const refusal = originRefusal(request);
  if (refusal) {
    log.warn(
      {
        route,
        method: request.method,
        origin: request.headers.get('origin')?.slice(0, 200),
        reason: refusal,
        requestId: meta.requestId,
      },
      'cross-site request refused',
    );
    return {
      ok: false,
      response: jsonResponse(403, { error: 'This request did not come from a Refund Desk page.', code: 'cross_origin' }),
    };
  }
  let user: SessionUser;
  try {
    user = await requireUser();
  } catch (error) {
    if (error instanceof UnauthenticatedError) {
      return { ok: false, response: jsonResponse(401, { error: error.message, code: error.code }) };
    }
    if (error instanceof SafeError) return { ok: false, response: jsonResponse(403, { error: error.message, code: error.code }) };
    return { ok: false, response: internalError(meta, error, `${route}: session check failed`) };
  }
  const missing = permissions.filter((permission) => !can(user.role, permission));
  if (missing.length === 0) return { ok: true, user, meta };
  try {
    await recordAudit(await getDb(), actorContext(user, meta), {
      action: 'access.denied',
      entityType: 'route',
      entityId: route,
      after: { permission: missing.join(',') },
      outcome: 'failure',
    });
  } catch (error) {
    return { ok: false, response: internalError(meta, error, `${route}: could not audit a refusal`) };
  }
  return { ok: false, response: jsonResponse(403, { error: 'You do not have permission to do that.', code: 'forbidden' }) };
}

/** A streamed CSV download named `<name>-<UTC day>.csv`. */
export function csvResponse(body: ReadableStream<Uint8Array> | string, name: string) {
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-${day}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
