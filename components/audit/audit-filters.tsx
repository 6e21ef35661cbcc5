import { auditOutcomeEnum } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import type { AuditFacets } from '@/db/queries/audit';
import { isNonPersonActor, isUuid, NO_ACCOUNT_ACTOR } from '@/db/queries/filters';
import { providerLabel } from '@/lib/providers/registry';
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
  actors,
}: {
  values: Values;
  fieldErrors?: AuditFieldErrors;
  actions: string[];
  entityTypes: string[];
  actors: AuditFacets['actors'];
}) {
  // A value in the URL that the list does not hold (a link to someone with no events yet, a link
  // from before the list) still shows as selected, beside its error if it has one.
  const picked = values.actor?.trim() ?? '';
  const key = picked.toLowerCase();
  const listed = actors.people.some((p) => p.id === key) || actors.others.includes(key) ? key : null;
  const unlisted = picked && !listed ? picked : null;
  // A record type typed into the URL that has no events yet still shows as selected.
  const types = values.entityType && !entityTypes.includes(values.entityType) ? [values.entityType, ...entityTypes] : entityTypes;
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter audit events" className="space-y-3 p-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        <Field label="Who" error={fieldErrors.actor} className="col-span-2 xl:col-span-1">
          <Select name="actor" defaultValue={listed ?? unlisted ?? ''}>
            <option value="">Anyone</option>
            {unlisted && <option value={unlisted}>{unlistedLabel(unlisted)}</option>}
            <optgroup label="People">
              {actors.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.email}){p.active ? '' : ', deactivated'}
                </option>
              ))}
            </optgroup>
            {actors.others.length > 0 && (
              <optgroup label="Not a person">
                {actors.others.map((key) => (
                  <option key={key} value={key}>
                    {nonPersonLabel(key)}
                  </option>
                ))}
              </optgroup>
            )}
          </Select>
        </Field>
        <Field label="Action" error={fieldErrors.action}>
          <Input
            name="action"
            type="search"
            list="audit-actions"
            placeholder="refund. for all refund actions"
            defaultValue={values.action}
          />
        </Field>
        <Field label="Record type" error={fieldErrors.entityType}>
          <Select name="entityType" defaultValue={values.entityType ?? ''}>
            <option value="">Any record</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Record id" error={fieldErrors.entityId}>
          <Input name="entityId" type="search" placeholder="Refund or order id" defaultValue={values.entityId} />
        </Field>
        <Field label="From (UTC day)" error={fieldErrors.from}>
          <Input name="from" type="date" defaultValue={values.from} />
        </Field>
        <Field label="To (UTC day, included)" error={fieldErrors.to}>
          <Input name="to" type="date" defaultValue={values.to} />
        </Field>
        <Field label="Outcome" error={fieldErrors.outcome}>
          <Select name="outcome" defaultValue={values.outcome ?? ''}>
            <option value="">Any outcome</option>
            {auditOutcomeEnum.enumValues.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <datalist id="audit-actions">
        {actions.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <ButtonLink href="/audit" variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}

/** An actor that is no person, in words: `system`, `provider:forage`, `no-account`. */
function nonPersonLabel(key: string) {
  if (key === 'system') return 'System (jobs and scripts)';
  if (key === NO_ACCOUNT_ACTOR) return 'No account (sign-in attempts)';
  if (key.startsWith('provider:')) return `${providerLabel(key.slice('provider:'.length))} (provider)`;
  return key;
}

function unlistedLabel(value: string) {
  const key = value.toLowerCase();
  if (isNonPersonActor(key)) return nonPersonLabel(key);
  return isUuid(value) ? `User ${value}` : `“${value}” (not on the list)`;
}
