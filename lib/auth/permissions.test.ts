import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleEnum, type Role } from '@/db/schema/enums';
import { ALL_PERMISSIONS, can, homeFor, NAV_SECTIONS, navFor, PERMISSIONS, permissionsFor, type Permission } from './permissions';

const ROLES = roleEnum.enumValues;

/** PRODUCT.md §1, written out: the exact set of permissions each role holds. */
const EXPECTED: Record<Role, Permission[]> = {
  agent: [
    'orders.read',
    'orders.import',
    'refunds.read',
    'refunds.create',
    'refunds.cancel',
    'account.password',
    'account.preferences',
  ],
  manager: [
    'orders.read',
    'orders.import',
    'refunds.read',
    'refunds.create',
    'refunds.cancel',
    'refunds.reconcile',
    'approvals.read',
    'approvals.decide',
    'overview.read',
    'export.csv',
    'account.password',
    'account.preferences',
  ],
  auditor: [
    'orders.read',
    'refunds.read',
    'approvals.read',
    'overview.read',
    'audit.read',
    'audit.verify',
    'export.csv',
    'account.password',
    'account.preferences',
  ],
  admin: [
    'orders.read',
    'refunds.read',
    'overview.read',
    'audit.read',
    'audit.verify',
    'export.csv',
    'users.manage',
    'settings.manage',
    'providers.health',
    'account.password',
    'account.preferences',
  ],
};

const MUTATING = /create|decide|cancel|reconcile|manage|import/;

describe('permission map', () => {
  it('covers exactly the four roles of the schema', () => {
    expect([...ROLES].sort()).toEqual(['admin', 'agent', 'auditor', 'manager']);
    for (const roles of Object.values(PERMISSIONS)) {
      for (const role of roles) expect(ROLES).toContain(role);
    }
  });

  it.each(ROLES)('%s holds exactly its documented permissions', (role) => {
    expect(permissionsFor(role).sort()).toEqual([...EXPECTED[role]].sort());
  });

  it('every permission in the map is granted to someone and to nobody twice', () => {
    for (const permission of ALL_PERMISSIONS) {
      const roles = PERMISSIONS[permission];
      expect(roles.length).toBeGreaterThan(0);
      expect(new Set(roles).size).toBe(roles.length);
    }
  });

  it('agent: cannot approve, change settings, manage users or read the audit log', () => {
    for (const p of [
      'approvals.decide',
      'approvals.read',
      'settings.manage',
      'users.manage',
      'audit.read',
      'audit.verify',
      'refunds.reconcile',
    ] as const) {
      expect(can('agent', p), p).toBe(false);
    }
    expect(can('agent', 'refunds.create')).toBe(true);
  });

  it('manager: approves and reconciles, but does not administer', () => {
    expect(can('manager', 'approvals.decide')).toBe(true);
    expect(can('manager', 'approvals.read')).toBe(true);
    expect(can('manager', 'refunds.reconcile')).toBe(true);
    expect(can('manager', 'refunds.create')).toBe(true);
    expect(can('manager', 'users.manage')).toBe(false);
    expect(can('manager', 'settings.manage')).toBe(false);
  });

  it('auditor: read-only — no permission that creates, decides, cancels, reconciles, manages or imports', () => {
    const held = permissionsFor('auditor');
    expect(held.filter((p) => MUTATING.test(p))).toEqual([]);
    expect(can('auditor', 'audit.read')).toBe(true);
    expect(can('auditor', 'audit.verify')).toBe(true);
    expect(can('auditor', 'export.csv')).toBe(true);
    expect(can('auditor', 'refunds.read')).toBe(true);
  });

  it('admin: manages users and settings but cannot create, cancel or decide refunds', () => {
    expect(can('admin', 'users.manage')).toBe(true);
    expect(can('admin', 'settings.manage')).toBe(true);
    expect(can('admin', 'providers.health')).toBe(true);
    for (const p of [
      'refunds.create',
      'refunds.cancel',
      'approvals.decide',
      'approvals.read',
      'refunds.reconcile',
      'orders.import',
    ] as const) {
      expect(can('admin', p), p).toBe(false);
    }
  });

  it('only managers decide approvals; only admins manage users and settings', () => {
    expect(PERMISSIONS['approvals.decide']).toEqual(['manager']);
    expect(PERMISSIONS['users.manage']).toEqual(['admin']);
    expect(PERMISSIONS['settings.manage']).toEqual(['admin']);
  });
});

describe('navFor', () => {
  const EXPECTED_NAV: Record<Role, string[]> = {
    agent: ['/orders', '/refunds'],
    manager: ['/', '/orders', '/refunds', '/approvals'],
    auditor: ['/', '/orders', '/refunds', '/approvals', '/audit'],
    admin: ['/', '/orders', '/refunds', '/audit', '/admin'],
  };

  it.each(ROLES)('%s sees exactly the sections it may use', (role) => {
    expect(navFor(role).map((s) => s.href)).toEqual(EXPECTED_NAV[role]);
  });

  it.each(ROLES)('%s: every shown section is permitted and every hidden one is not', (role) => {
    const shown = new Set(navFor(role).map((s) => s.href));
    for (const section of NAV_SECTIONS) {
      expect(shown.has(section.href), section.href).toBe(can(role, section.permission));
    }
  });

  it('lands each role on a page it may open', () => {
    expect(homeFor('agent')).toBe('/orders');
    expect(homeFor('manager')).toBe('/');
    for (const role of ROLES) {
      const section = NAV_SECTIONS.find((s) => s.href === homeFor(role));
      expect(section).toBeDefined();
      expect(can(role, section!.permission)).toBe(true);
    }
  });
});

describe('can (property)', () => {
  it('equals membership in the map for every role and permission', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), fc.constantFrom(...ALL_PERMISSIONS), (role, permission) => {
        expect(can(role, permission)).toBe((PERMISSIONS[permission] as readonly Role[]).includes(role));
      }),
      { numRuns: 500 },
    );
  });

  it('is false for no role at all', () => {
    fc.assert(
      fc.property(fc.constantFrom(undefined, null), fc.constantFrom(...ALL_PERMISSIONS), (role, permission) => {
        expect(can(role, permission)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('is false for strings that are not roles (e.g. a stale or forged role)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !(ROLES as readonly string[]).includes(s)),
        fc.constantFrom(...ALL_PERMISSIONS),
        (role, permission) => {
          expect(can(role as Role, permission)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
