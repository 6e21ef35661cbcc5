/** Forage configured with real (non-sandbox) credentials, as a live deployment would be. */
export const REAL_FORAGE_ENV = {
  FORAGE_CLIENT_ID: 'live-id',
  FORAGE_CLIENT_SECRET: 'live-secret',
  FORAGE_MERCHANT_ACCOUNT: '1234567',
  FORAGE_WEBHOOK_SECRET: 'whsec',
  FORAGE_BASE_URL: 'https://api.joinforage.app',
};
