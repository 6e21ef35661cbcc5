import { forageSettings, frontpaymentSettings, usingSandbox } from '@/lib/providers/config';

type Env = Record<string, string | undefined>;

/** Providers configured with real credentials (not the sandbox's well-known ones). */
export function realProviders(env: Env = process.env): string[] {
  const configured = [
    ['Forage', forageSettings(env)],
    ['Frontpayment', frontpaymentSettings(env)],
  ] as const;
  return configured.filter(([, s]) => s.configured && !s.sandbox).map(([name]) => name);
}

/**
 * Demo mode loads the demo world (orders, past refunds and the demo accounts, whose password is
 * published in the README). It is on only when asked for (`DEMO=1`), or on the embedded database
 * with the sandbox providers, which is what `npm start` on a fresh machine is. A deployment on
 * PostgreSQL starts with no accounts unless `DEMO=1` says otherwise; `DEMO=0` turns it off anywhere.
 */
export function demoMode(env: Env = process.env): boolean {
  const flag = env.DEMO?.trim();
  if (flag === '1' || flag === 'true') return true;
  if (flag === '0' || flag === 'false') return false;
  return !env.DATABASE_URL && usingSandbox(env);
}

/** Why this configuration must not start, or null. */
export function demoConflict(env: Env, activeDemoAccounts: string[]): string | null {
  const real = realProviders(env);
  if (real.length === 0) return null;
  if (demoMode(env) && env.DEMO) {
    return `DEMO=1 is set while real ${real.join(' and ')} credentials are configured. The demo accounts share a published password; they must never exist where real money moves. Unset DEMO.`;
  }
  if (activeDemoAccounts.length > 0) {
    return [
      `This database holds active demo accounts (${activeDemoAccounts.join(', ')}) with the published demo password,`,
      `and real ${real.join(' and ')} credentials are configured: anyone could sign in as an admin or approve refunds alone.`,
      'Refusing to start. Use a fresh database, or deactivate them with `npm run admin:retire-demo`.',
    ].join('\n');
  }
  return null;
}
