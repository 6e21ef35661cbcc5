'use client';

import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

/**
 * A search form whose URL holds only what is set: `?provider=forage`, not `?from=&to=&provider=forage&…`
 * (issue #13). Values equal to `defaults` (the default sort) are left out too. Without script it is
 * a plain GET form, whose empty values the page's parser ignores.
 */
export function CleanGetForm({
  action,
  defaults = {},
  ...props
}: Omit<ComponentProps<'form'>, 'action' | 'method' | 'onSubmit'> & { action: string; defaults?: Record<string, string> }) {
  const router = useRouter();
  return (
    <form
      {...props}
      method="get"
      action={action}
      onSubmit={(event) => {
        event.preventDefault();
        const query = new URLSearchParams();
        for (const [name, value] of new FormData(event.currentTarget)) {
          if (typeof value !== 'string') continue;
          const trimmed = value.trim();
          if (trimmed === '' || defaults[name] === trimmed) continue;
          query.append(name, trimmed);
        }
        router.push(query.size ? `${action}?${query}` : action);
      }}
    />
  );
}
