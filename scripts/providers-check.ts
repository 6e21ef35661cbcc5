import { register } from 'node:module';

/**
 * `npm run providers:check`: the providers' conformance check (lib/providers/check/run.ts).
 *
 * The provider clients import 'server-only', which throws outside Next's server bundles. This is
 * a server process, so that import resolves to an empty module here (as vitest.config.ts does).
 */
const hooks = `export async function resolve(specifier, context, next) {
  return specifier === 'server-only' ? { url: 'data:text/javascript,export {}', shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);

const { runProvidersCheck } = await import('../lib/providers/check/run');
const result = await runProvidersCheck({ argv: process.argv.slice(2), env: process.env });
process.stdout.write(result.output);
process.exitCode = result.exitCode;
