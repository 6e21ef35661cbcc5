'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/action';
import { removeLimitOverrideInput, updateApprovalExpiryInput, updateLimitsInput } from './schemas';
import * as service from './service';

export const updateLimitsAction = defineAction(
  { name: 'settings.updateLimits', permission: 'settings.manage', input: updateLimitsInput },
  async (input, { db, user, audit }) => {
    const result = await service.updateLimits(db, user, audit, input);
    revalidatePath('/admin/settings');
    return result;
  },
);

export const removeLimitOverrideAction = defineAction(
  { name: 'settings.removeLimitOverride', permission: 'settings.manage', input: removeLimitOverrideInput },
  async (input, { db, user, audit }) => {
    const result = await service.removeLimitOverride(db, user, audit, input);
    revalidatePath('/admin/settings');
    return result;
  },
);

export const updateApprovalExpiryAction = defineAction(
  { name: 'settings.updateApprovalExpiry', permission: 'settings.manage', input: updateApprovalExpiryInput },
  async (input, { db, user, audit }) => {
    const result = await service.updateSetting(db, user, audit, 'approval_expiry_hours', input.hours);
    revalidatePath('/admin/settings');
    return result;
  },
);
