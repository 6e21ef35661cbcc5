import type { Role } from '@/db/schema/enums';

/**
 * The one place where roles meet permissions (PRODUCT.md §1). Every server action and route
 * handler checks a permission from this map on the server; the UI only uses it to hide what
 * would be refused anyway.
 */
export const PERMISSIONS = {
  'orders.read': ['agent', 'manager', 'auditor', 'admin'],
  'orders.import': ['agent', 'manager'],
  'refunds.read': ['agent', 'manager', 'auditor', 'admin'],
  'refunds.create': ['agent', 'manager'],
  'refunds.cancel': ['agent', 'manager'],
  'refunds.reconcile': ['manager'],
  // Auditors read everything, approvals included; only managers decide.
  'approvals.read': ['manager', 'auditor'],
  'approvals.decide': ['manager'],
  'overview.read': ['manager', 'auditor', 'admin'],
  'audit.read': ['auditor', 'admin'],
  'audit.verify': ['auditor', 'admin'],
  'export.csv': ['manager', 'auditor', 'admin'],
  'users.manage': ['admin'],
  'settings.manage': ['admin'],
  'providers.health': ['admin'],
  'account.password': ['agent', 'manager', 'auditor', 'admin'],
  // One's own language (and other choices about how the app reads for oneself).
  'account.preferences': ['agent', 'manager', 'auditor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsFor(role: Role): Permission[] {
  return ALL_PERMISSIONS.filter((permission) => can(role, permission));
}

/** Sidebar sections, each behind the permission its page checks; `key` names it in messages (common.nav). */
export const NAV_SECTIONS = [
  { href: '/', key: 'overview', permission: 'overview.read' },
  { href: '/orders', key: 'orders', permission: 'orders.read' },
  { href: '/refunds', key: 'refunds', permission: 'refunds.read' },
  { href: '/approvals', key: 'approvals', permission: 'approvals.read' },
  { href: '/audit', key: 'audit', permission: 'audit.read' },
  { href: '/admin', key: 'admin', permission: 'users.manage' },
] as const satisfies readonly { href: string; key: string; permission: Permission }[];

export function navFor(role: Role) {
  return NAV_SECTIONS.filter((section) => can(role, section.permission));
}

/** Where a role lands after signing in. */
export function homeFor(role: Role): string {
  return can(role, 'overview.read') ? '/' : '/orders';
}
