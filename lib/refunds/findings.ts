import english from '@/messages/en/refunds.json';

/**
 * What a check of the provider found, as kept on the check (English, never rewritten). Written from
 * the English catalogue's templates (messages/en/refunds.json `reasons.findings`), so a page can
 * read a stored finding back into its key and values and say it in the reader's language.
 */
const TEMPLATES = english.reasons.findings;
export type FindingKey = keyof typeof TEMPLATES;

export function findingSentence(key: FindingKey, values: Record<string, string> = {}): string {
  return TEMPLATES[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
const PATTERNS = (Object.keys(TEMPLATES) as FindingKey[]).map((key) => {
  const names: string[] = [];
  const source = escape(TEMPLATES[key]).replace(/\\?\{(\w+)\\?\}/g, (_, name: string) => {
    names.push(name);
    return '([\\s\\S]*?)';
  });
  return { key, names, pattern: new RegExp(`^${source}$`) };
});

/** A stored finding's key and values, or null for one no template wrote. */
export function parseFinding(finding: string): { key: FindingKey; values: Record<string, string> } | null {
  for (const { key, names, pattern } of PATTERNS) {
    const match = pattern.exec(finding);
    if (match) return { key, values: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) };
  }
  return null;
}

/** The conclusions that no money moved: a timeline shows them red, the others green. */
const NO_MONEY_MOVED: readonly FindingKey[] = ['notApplied', 'byHandNotApplied', 'keyRefused'];

/**
 * Whether a stored conclusion says no money moved, read from its template rather than its words (a
 * person's note in a settled-by-hand conclusion may say "did not" of anything). A finding no
 * template wrote is judged by the words every such conclusion has used.
 */
export function concludedNoMoneyMoved(finding: string): boolean {
  const parsed = parseFinding(finding);
  return parsed ? NO_MONEY_MOVED.includes(parsed.key) : /did not apply|no money moved/.test(finding);
}
