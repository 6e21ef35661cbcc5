import { randomUUID } from 'node:crypto';
import type { FaultRule, ProviderName } from './types';

/** The fault rules in force; each fires `times` times (−1: until cleared). */
export class FaultBook {
  private rules: (FaultRule & { id: string; times: number })[] = [];

  add(rule: FaultRule): FaultRule {
    const stored = { ...rule, id: rule.id ?? randomUUID(), times: rule.times ?? 1 };
    this.rules.push(stored);
    return stored;
  }

  clear() {
    this.rules = [];
  }

  list(): FaultRule[] {
    return [...this.rules];
  }

  /** The first rule that matches, consumed once. */
  take(provider: ProviderName, operation: string): FaultRule | null {
    const index = this.rules.findIndex(
      (r) =>
        (r.provider === '*' || r.provider === provider) && (r.operation === '*' || r.operation === operation) && r.times !== 0,
    );
    if (index < 0) return null;
    const rule = this.rules[index]!;
    if (rule.times > 0) rule.times -= 1;
    if (rule.times === 0) this.rules.splice(index, 1);
    return { ...rule };
  }
}
