import { parseArgs } from 'node:util';
import { forageSettings, frontpaymentSettings } from '../config';
import { checkForage } from './forage';
import { checkFrontpayment } from './frontpayment';
import { hostKind, HOST_KIND_LABEL, testRefundRefusal } from './hosts';
import { exitCodeFor, renderTable, summaryLine, type CheckedProvider, type Row } from './report';

/**
 * `npm run providers:check`: before going live, an operator runs this against the providers'
 * test environments with the real credentials (the app's own variables). It reads, and sends one
 * test refund only when asked, and never to a production host.
 */

type Env = Record<string, string | undefined>;

export interface RunInput {
  argv: readonly string[];
  env: Env;
  fetchImpl?: typeof fetch;
}

export interface RunOutput {
  /** 0: every required assumption checked holds; 1: one does not; 2: usage error or refusal. */
  exitCode: number;
  output: string;
  rows: Row[];
}

export const USAGE = `Usage: npm run providers:check -- [options]

  --provider forage|frontpayment|all   which provider to check (default all)
  --forage-order <ref>                 a Forage order to read (order, payments, refunds)
  --frontpayment-order <uuid>          a Frontpayment order or reservation to read (details, status)
  --send-test-refund                   send ONE minimal refund (needs --test-order and one --provider):
  --test-order <ref>                   Forage: 1 unit of the cheapest product (or 0.01);
                                       Frontpayment: 1,00 kr on one line.
                                       Refused unless the base URL is a test host or a loopback sandbox.

Settings come from the app's variables (FORAGE_*, FRONTPAYMENT_*; PROVIDERS=sandbox for the sandbox).
Exit status: 0 when every required assumption that was checked holds, 1 when one does not, 2 on a
usage error or a refused test refund.
`;

const LABELS: Record<CheckedProvider, string> = { forage: 'Forage', frontpayment: 'Frontpayment' };

export async function runProvidersCheck(input: RunInput): Promise<RunOutput> {
  const usage = (why: string): RunOutput => ({ exitCode: 2, output: `${why}\n\n${USAGE}`, rows: [] });
  let values;
  try {
    ({ values } = parseArgs({
      args: [...input.argv],
      options: {
        provider: { type: 'string', default: 'all' },
        'forage-order': { type: 'string' },
        'frontpayment-order': { type: 'string' },
        'send-test-refund': { type: 'boolean', default: false },
        'test-order': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { exitCode: 0, output: USAGE, rows: [] };
  const provider = values.provider;
  if (provider !== 'forage' && provider !== 'frontpayment' && provider !== 'all') {
    return usage(`--provider must be forage, frontpayment or all (not "${provider}").`);
  }
  const send = values['send-test-refund'];
  const testOrder = values['test-order']?.trim() || null;
  if (send && !testOrder) return usage('--send-test-refund needs --test-order <ref>: the order to refund on.');
  if (testOrder && !send) return usage('--test-order only goes with --send-test-refund.');
  if (send && provider === 'all')
    return usage('--send-test-refund needs one provider: --provider forage or --provider frontpayment.');

  const selected: CheckedProvider[] = provider === 'all' ? ['forage', 'frontpayment'] : [provider];
  const settings = { forage: forageSettings(input.env), frontpayment: frontpaymentSettings(input.env) };

  // Before any request: a test refund goes to a test host or a loopback sandbox, never elsewhere.
  if (send) {
    const config = settings[provider as CheckedProvider];
    if (config.configured) {
      const refusal = testRefundRefusal(
        provider as CheckedProvider,
        LABELS[provider as CheckedProvider],
        config.settings.baseUrl,
      );
      if (refusal) return { exitCode: 2, output: `${refusal}\n`, rows: [] };
    }
  }

  const header = selected.map((p) => {
    const config = settings[p];
    if (!config.configured) return `${LABELS[p]}: not configured.`;
    const { host, kind } = hostKind(p, config.settings.baseUrl);
    return `${LABELS[p]}: ${config.settings.baseUrl} (${host}: ${HOST_KIND_LABEL[kind]}).`;
  });
  const rows: Row[] = [];
  if (selected.includes('forage')) {
    rows.push(
      ...(await checkForage({
        settings: settings.forage,
        orderRef: values['forage-order']?.trim() || null,
        testOrderRef: send && provider === 'forage' ? testOrder : null,
        fetchImpl: input.fetchImpl,
      })),
    );
  }
  if (selected.includes('frontpayment')) {
    rows.push(
      ...(await checkFrontpayment({
        settings: settings.frontpayment,
        orderRef: values['frontpayment-order']?.trim() || null,
        testOrderRef: send && provider === 'frontpayment' ? testOrder : null,
        fetchImpl: input.fetchImpl,
      })),
    );
  }
  const output = ['Refund Desk provider check', ...header, '', renderTable(rows), '', summaryLine(rows), ''].join('\n');
  return { exitCode: exitCodeFor(rows), output, rows };
}
