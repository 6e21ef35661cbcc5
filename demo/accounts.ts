import type { Role } from '@/db/schema/enums';

/**
 * The demo accounts. Their password is published (README), so they exist only in demo mode
 * (lib/deploy/mode.ts), and the server refuses to start beside real providers while any is active.
 */
export const DEMO_PASSWORD = 'refund-desk-demo';

export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: 'agent@refund-desk.test', name: 'Alex Agent', role: 'agent' },
  { email: 'agent2@refund-desk.test', name: 'Sam Support', role: 'agent' },
  { email: 'manager@refund-desk.test', name: 'Morgan Manager', role: 'manager' },
  { email: 'manager2@refund-desk.test', name: 'Riley Lead', role: 'manager' },
  { email: 'auditor@refund-desk.test', name: 'Avery Auditor', role: 'auditor' },
  { email: 'admin@refund-desk.test', name: 'Ada Admin', role: 'admin' },
];
