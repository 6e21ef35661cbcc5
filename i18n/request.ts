import { getRequestConfig } from 'next-intl/server';
import { requestLocale } from '@/lib/i18n';
import { MESSAGES } from '@/messages';
import { TIME_ZONE } from '@/lib/format';

/** next-intl's per-request configuration (next.config.js points its plugin here). */
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: MESSAGES[locale], timeZone: TIME_ZONE };
});
