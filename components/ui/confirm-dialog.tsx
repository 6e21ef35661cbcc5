'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';

/**
 * "Are you sure?" in the page's own dialog, never the browser's confirm(): same look in every
 * browser and language, Cancel focused first (Enter, Enter does not do it), Esc cancels, and the
 * dialog stays while the request runs.
 */
export function ConfirmDialog({
  open,
  onClose,
  onConfirm,
  title,
  description,
  confirmLabel,
  pending = false,
  danger = false,
  testId,
}: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: ReactNode;
  pending?: boolean;
  danger?: boolean;
  testId?: string;
}) {
  const common = useTranslations('common.actions');
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!pending}
      title={title}
      description={description}
      testId={testId}
      footer={
        <>
          <Button type="button" variant="secondary" data-autofocus onClick={onClose} disabled={pending}>
            {common('cancel')}
          </Button>
          <Button type="button" variant={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={pending}>
            {confirmLabel}
          </Button>
        </>
      }
    />
  );
}
