import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { PROVIDERS } from '@/db/schema/enums';
import { TestConnectionButton } from '@/components/admin/test-connection-button';
import { Badge } from '@/components/ui/badge';
import { Card, PageHeader } from '@/components/ui/card';
import { requirePagePermission } from '@/lib/auth/session';
import { PROVIDER_LABELS } from '@/lib/providers/labels';
import { describeProviderConfig } from '@/lib/providers/connection';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.providers'))('title') };
}

export default async function ProvidersPage() {
  await requirePagePermission('providers.health');
  const t = await getTranslations('admin.providers');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <div className="grid gap-4 md:grid-cols-2">
        {PROVIDERS.map((provider) => {
          const config = describeProviderConfig(provider);
          return (
            <Card
              key={provider}
              title={PROVIDER_LABELS[provider]}
              actions={
                !config.configured ? (
                  <Badge tone="red">{t('notConfigured')}</Badge>
                ) : config.sandbox ? (
                  <Badge tone="amber">{t('sandbox')}</Badge>
                ) : (
                  <Badge tone="green">{t('live')}</Badge>
                )
              }
            >
              <div className="space-y-3 p-4 text-sm">
                {config.configured ? (
                  <p className="break-words text-slate-700">
                    {t.rich('callsGo', {
                      host: config.host,
                      code: (chunks) => <code className="font-mono break-all">{chunks}</code>,
                    })}
                    {config.sandbox && t('sandboxNote')}
                  </p>
                ) : (
                  <p className="text-red-700">{t('missing', { names: config.missing.join(', ') })}</p>
                )}
                <TestConnectionButton
                  provider={provider}
                  words={{
                    test: t('test'),
                    testing: t('testing'),
                    testTo: t('testTo', { label: PROVIDER_LABELS[provider] }),
                    connected: t('connected', { ms: '{ms}' }),
                    notConnected: t('notConnected', { detail: '{detail}' }),
                  }}
                />
              </div>
            </Card>
          );
        })}
      </div>
    </>
  );
}
