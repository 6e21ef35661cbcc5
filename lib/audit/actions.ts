'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/action';
import { requestLocale } from '@/lib/i18n';
import { recordAudit } from './append';
import { say } from './said';
import { verifyAuditTrail } from './trail';

export const verifyAuditChainAction = defineAction(
  { name: 'audit.verify', permission: 'audit.verify', input: z.object({}) },
  async (_input, { db, audit }) => {
    const report = await verifyAuditTrail(db);
    const { chain } = report;
    await recordAudit(db, audit, {
      action: 'audit.verify',
      entityType: 'audit_chain',
      after: {
        ok: report.ok,
        ...(chain.ok ? { verified: chain.verified } : { firstBreak: chain.firstBreak }),
        checkpoint: report.checkpoint && { seq: report.checkpoint.seq, count: report.checkpoint.count, at: report.checkpoint.at },
        written: report.written && { seq: report.written.seq, at: report.written.at },
        ...(report.rejectedCheckpoints.length ? { rejectedCheckpoints: report.rejectedCheckpoints.length } : {}),
      },
      outcome: report.ok ? 'success' : 'failure',
    });
    // What the page shows: the auditor's words in their language, not the hashes.
    const locale = await requestLocale();
    return {
      ok: report.ok,
      headline: say(report.headlineSaid, locale),
      findings: report.findings.map((f) => ({ tone: f.tone, text: say(f.said, locale) })),
    };
  },
);
