'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/action';
import { recordAudit } from './append';
import { verifyAuditChain } from './verify';

export const verifyAuditChainAction = defineAction(
  { name: 'audit.verify', permission: 'audit.verify', input: z.object({}) },
  async (_input, { db, audit }) => {
    const result = await verifyAuditChain(db);
    await recordAudit(db, audit, {
      action: 'audit.verify',
      entityType: 'audit_chain',
      after: result.ok ? { ok: true, verified: result.verified } : { ok: false, firstBreak: result.firstBreak },
      outcome: result.ok ? 'success' : 'failure',
    });
    return result;
  },
);
