import { sandboxConfig } from './config';
import { forageModule } from './forage';
import { frontpaymentModule } from './frontpayment';
import { startSandbox } from './server';

/**
 * `tsx sandbox/main.ts`: the provider sandbox as its own process. It emulates Forage and
 * Frontpayment on one port under their real paths, with its own state loaded from
 * demo/dataset.json, and shares no code with the app.
 */
const sandbox = await startSandbox(sandboxConfig(), [forageModule, frontpaymentModule]);
console.log(`[sandbox] Forage and Frontpayment emulator listening on ${sandbox.url} (profile ${sandbox.deps.config.profile})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
