import { auditOutcomeEnum } from '@/db/schema/enums';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import type { AuditFacets } from '@/db/queries/audit';
import { isNonPersonActor, isUuid, NO_ACCOUNT_ACTOR } from '@/db/queries/filters';
import type { Locale } from '@/i18n/locales';
import type { AuditFieldErrors, AuditSearch } from '@/lib/audit/filters-schema';
import { auditWords } from '@/lib/audit/words';
import { formatDate } from '@/lib/format';
import { providerLabel } from '@/lib/providers/registry';

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
  locale = 'en',
}: {
  locale?: Locale;
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
  const t = auditWords(locale);
  // A native date input shows the browser's own format; a chosen day is repeated in the page's.
  const day = (value?: string) =>
    value && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? t('filters.chosenDate', { date: formatDate(`${value}T12:00:00Z`, locale) })
      : undefined;
  return (
    <form method="get" action="/audit" role="search" aria-label={t('filters.label')} className="space-y-3 p-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 lg:grid-cols-4 2xl:grid-cols-8">
        <Field label={t('filters.who')} error={fieldErrors.actor} className="col-span-2">
          <Select name="actor" defaultValue={listed ?? unlisted ?? ''}>
            <option value="">{t('filters.anyone')}</option>
            {unlisted && <option value={unlisted}>{unlistedLabel(unlisted, t)}</option>}
            <optgroup label={t('filters.people')}>
              {actors.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {t(p.active ? 'actor.person' : 'actor.personDeactivated', { name: p.name, email: p.email })}
                </option>
              ))}
            </optgroup>
            {actors.others.length > 0 && (
              <optgroup label={t('filters.notPerson')}>
                {actors.others.map((key) => (
                  <option key={key} value={key}>
                    {nonPersonLabel(key, t)}
                  </option>
                ))}
              </optgroup>
            )}
          </Select>
        </Field>
        <Field label={t('filters.action')} error={fieldErrors.action} hint={t('filters.actionHint')}>
          <Input
            name="action"
            type="search"
            list="audit-actions"
            placeholder={t('filters.actionPlaceholder')}
            defaultValue={values.action}
          />
        </Field>
        <Field label={t('filters.recordType')} error={fieldErrors.entityType}>
          <Select name="entityType" defaultValue={values.entityType ?? ''}>
            <option value="">{t('filters.anyRecord')}</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('filters.recordId')} error={fieldErrors.entityId} hint={t('filters.recordIdHint')}>
          <Input name="entityId" type="search" defaultValue={values.entityId} />
        </Field>
        <Field label={t('filters.from')} error={fieldErrors.from} hint={day(values.from)}>
          <Input name="from" type="date" defaultValue={values.from} />
        </Field>
        <Field label={t('filters.to')} error={fieldErrors.to} hint={day(values.to)}>
          <Input name="to" type="date" defaultValue={values.to} />
        </Field>
        <Field label={t('filters.outcome')} error={fieldErrors.outcome}>
          <Select name="outcome" defaultValue={values.outcome ?? ''}>
            <option value="">{t('filters.anyOutcome')}</option>
            {auditOutcomeEnum.enumValues.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
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
      <div className="flex flex-wrap items-end gap-2">
        <Button type="submit">{t('filters.apply')}</Button>
        <ButtonLink href="/audit" variant="ghost">
          {t('filters.clear')}
        </ButtonLink>
      </div>
    </form>
  );
}

type Words = ReturnType<typeof auditWords>;

/** An actor that is no person, in words: `system`, `provider:forage`, `no-account`. */
function nonPersonLabel(key: string, t: Words) {
  if (key === 'system') return t('actor.jobs');
  if (key === NO_ACCOUNT_ACTOR) return t('actor.signIns');
  if (key.startsWith('provider:')) return t('actor.providerOption', { name: providerLabel(key.slice('provider:'.length)) });
  return key;
}

function unlistedLabel(value: string, t: Words) {
  const key = value.toLowerCase();
  if (isNonPersonActor(key)) return nonPersonLabel(key, t);
  return isUuid(value) ? t('actor.user', { id: value }) : t('actor.unlisted', { value });
}
