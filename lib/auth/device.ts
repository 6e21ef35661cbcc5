import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A browser that has signed in to an account before carries a device cookie for it: a random id
 * and an HMAC over (account, id) with the server's secret. Failed sign-ins from such a browser are
 * counted on their own key, so an attacker guessing at the account elsewhere cannot lock its owner
 * out (OWASP, "Slow down online guessing attacks with device cookies"). It proves nothing about
 * who is typing: the password is checked as always.
 */
export const DEVICE_COOKIE = 'rd_device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

function secret(): string {
  const value = process.env.AUTH_SECRET;
  if (!value) throw new Error('AUTH_SECRET is not set');
  return value;
}

function mac(userId: string, deviceId: string) {
  return createHmac('sha256', secret()).update(`device|${userId}|${deviceId}`).digest('base64url');
}

/** A new device token for the account; `deviceId` keeps the browser's existing id. */
export function issueDeviceToken(userId: string, deviceId = randomBytes(16).toString('base64url')): string {
  return `${deviceId}.${mac(userId, deviceId)}`;
}

/** The device id when the token is one this server issued for this account, else null. */
export function trustedDeviceId(token: string | null | undefined, userId: string): string | null {
  if (!token || token.length > 200) return null;
  const [deviceId, given] = token.split('.');
  if (!deviceId || !given || !/^[\w-]{16,64}$/.test(deviceId)) return null;
  const expected = Buffer.from(mac(userId, deviceId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? deviceId : null;
}

/** The device cookie's value from a Cookie header. */
export function deviceTokenFromCookieHeader(cookieHeader: string | null): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === DEVICE_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
}
