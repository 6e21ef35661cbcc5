export const dynamic = 'force-dynamic';

/**
 * The older name of /api/health/ready, kept for probes and tools configured with it (the
 * Playwright web server and e2e tests use it): the same answer, nothing more.
 */
export { GET } from './ready/route';
