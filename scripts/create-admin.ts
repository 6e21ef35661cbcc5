/**
 * `npm run admin:create -- --email you@example.com --name "Your Name"`: the first admin of a new
 * deployment. Prints a one-time password once (valid 72 hours); the admin signs in with it, sets
 * their own password, and invites everyone else from the Admin page. Refused when an active admin
 * already exists: more admins are invited by an admin, in the app, on the record.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openAppDb } from '@/db';
import { countActiveAdmins } from '@/db/queries/users';
import { SafeError } from '@/lib/errors';
import { inviteUser } from '@/lib/users/service';

const input = z.object({
  email: z.string().trim().toLowerCase().email('Give a valid --email.').max(320),
  name: z.string().trim().min(1, 'Give a --name.').max(200),
});

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const parsed = input.safeParse(values);
if (!parsed.success) {
  console.error(`✖ ${parsed.error.issues.map((i) => i.message).join(' ')}`);
  console.error("  Usage: npm run admin:create -- --email you@example.com --name 'Your Name'");
  process.exit(1);
}

const handle = await openAppDb();
try {
  if ((await countActiveAdmins(handle.db)) > 0) {
    console.error('✖ An active admin already exists. Ask them to invite you from the Admin page.');
    process.exitCode = 1;
  } else {
    const audit = {
      actorId: null,
      actorRole: 'system',
      actorEmail: 'npm run admin:create',
      ip: null,
      userAgent: null,
      requestId: null,
    };
    const created = await inviteUser(handle.db, { id: 'cli' }, audit, { ...parsed.data, role: 'admin' });
    console.log(`\nAdmin ${created.email} created. One-time password (shown once, valid ${created.validHours} hours):\n`);
    console.log(`  ${created.oneTimePassword}\n`);
    console.log('Sign in with it, then choose your own password.');
  }
} catch (error) {
  console.error(`✖ ${error instanceof SafeError ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
