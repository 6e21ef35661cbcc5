import type { Metadata } from 'next';
import { PROVIDERS } from '@/db/schema/enums';
import { TestConnectionButton } from '@/components/admin/test-connection-button';
import { Badge } from '@/components/ui/badge';
import { Card, PageHeader } from '@/components/ui/card';
import { requirePagePermission } from '@/lib/auth/session';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { describeProviderConfig } from '@/lib/providers/connection';

export const metadata: Metadata = { title: 'Providers' };

export default async function ProvidersPage() {
  await requirePagePermission('providers.health');
  return (
    <>
      <PageHeader
        title="Providers"
        description="Where each provider's calls go and whether it answers. Credentials come from the server's environment and are never shown."
      />
      <div className="grid gap-4 md:grid-cols-2">
        {PROVIDERS.map((provider) => {
          const config = describeProviderConfig(provider);
          return (
            <Card
              key={provider}
              title={PROVIDER_LABELS[provider]}
              actions={
                !config.configured ? (
                  <Badge tone="red">Not configured</Badge>
                ) : config.sandbox ? (
                  <Badge tone="amber">Sandbox</Badge>
                ) : (
                  <Badge tone="green">Live</Badge>
                )
              }
            >
              <div className="space-y-3 p-4 text-sm">
                {config.configured ? (
                  <p className="text-slate-700">
                    Calls go to <code className="font-mono">{config.host}</code>
                    {config.sandbox && ' (the bundled sandbox: no real money moves).'}
                  </p>
                ) : (
                  <p className="text-red-700">Missing on the server: {config.missing.join(', ')}.</p>
                )}
                <TestConnectionButton provider={provider} label={PROVIDER_LABELS[provider]} />
              </div>
            </Card>
          );
        })}
      </div>
    </>
  );
}
