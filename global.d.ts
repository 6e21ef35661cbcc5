import type { Locale } from '@/i18n/locales';
import type { Messages } from '@/messages';

// next-intl's types: `t('…')` accepts only keys of the English catalogue, locales only ours.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
