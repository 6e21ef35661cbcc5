import 'server-only';
import { auth } from '.';

/** The user id in the signed session cookie, or null. Kept apart so tests can stand in for the cookie. */
export async function getSessionUserId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}
