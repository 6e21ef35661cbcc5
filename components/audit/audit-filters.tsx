import { auditOutcomeEnum } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import type { AuditFieldErrors, AuditSearch } from '@/lib/audit/filters-schema';

type Values = Partial<Record<keyof AuditSearch, string>>;

/**
 * A plain GET form: the URL holds the filters, so a view of the log (say, one refund's trail) can
 * be bookmarked and shared. After an error it keeps what was typed and points at the field.
 */
export function AuditFilters({
  values,
  fieldErrors = {},
  actions,
  entityTypes,
}: {
  values: Values;
  fieldErrors?: AuditFieldErrors;
  actions: string[];
  entityTypes: string[];
}) {
  const invalid = (key: keyof AuditSearch) =>
    fieldErrors[key]?.length ? { 'aria-invalid': true as const, 'aria-describedby': `${key}-error` } : {};
  // A record type typed into the URL that has no events yet still shows as selected.
  const types = values.entityType && !entityTypes.includes(values.entityType) ? [values.entityType, ...entityTypes] : entityTypes;
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter audit events" className="space-y-3 p-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        <Field id="actor" label="Who" error={fieldErrors.actor} className="col-span-2 xl:col-span-1">
          <Input
            id="actor"
            name="actor"
            type="search"
            placeholder="Email, user id or system"
            defaultValue={values.actor}
            {...invalid('actor')}
          />
        </Field>
        <Field id="action" label="Action" error={fieldErrors.action}>
          <Input
            id="action"
            name="action"
            type="search"
            list="audit-actions"
            placeholder="refund. for all refund actions"
            defaultValue={values.action}
            {...invalid('action')}
          />
          <datalist id="audit-actions">
            {actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </Field>
        <Field id="entityType" label="Record type" error={fieldErrors.entityType}>
          <Select id="entityType" name="entityType" defaultValue={values.entityType ?? ''} {...invalid('entityType')}>
            <option value="">Any record</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="entityId" label="Record id" error={fieldErrors.entityId}>
          <Input
            id="entityId"
            name="entityId"
            type="search"
            placeholder="Refund or order id"
            defaultValue={values.entityId}
            {...invalid('entityId')}
          />
        </Field>
        <Field id="from" label="From (UTC day)" error={fieldErrors.from}>
          <Input id="from" name="from" type="date" defaultValue={values.from} {...invalid('from')} />
        </Field>
        <Field id="to" label="To (UTC day, included)" error={fieldErrors.to}>
          <Input id="to" name="to" type="date" defaultValue={values.to} {...invalid('to')} />
        </Field>
        <Field id="outcome" label="Outcome" error={fieldErrors.outcome}>
          <Select id="outcome" name="outcome" defaultValue={values.outcome ?? ''} {...invalid('outcome')}>
            <option value="">Any outcome</option>
            {auditOutcomeEnum.enumValues.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <ButtonLink href="/audit" variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}
