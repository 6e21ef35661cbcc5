import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from '@/test/server-endpoints';

/**
 * What the browser downloads before a page works is every module a 'use client' file imports,
 * statically, all the way down (issue #12). Some modules must not be among them:
 * - zod: the refund form loads the server's schema after the page has shown
 *   (components/refunds/use-refund-schema.ts); everything else on the client needs only constants,
 *   which live in zod-free modules (db/schema/enum-values.ts, lib/refunds/constants.ts);
 * - drizzle-orm and the Drizzle schema: enum values come from db/schema/enum-values.ts;
 * - TanStack Query: loaded with the poller, only for a refund that is not final;
 * - the provider registry: its profiles carry every provider's error tables; names come as props;
 * - recharts: the overview's chart is server-rendered SVG.
 * A 'use server' module imported by a client one becomes a reference to the action, so its own
 * imports are not followed; `import type` and `import()` are not part of the first load either.
 */

const FORBIDDEN_PACKAGES = ['zod', 'drizzle-orm', '@tanstack/react-query', 'recharts', 'next-auth', 'server-only'];
const FORBIDDEN_MODULES = [
  'db/schema/enums.ts',
  'db/schema/index.ts',
  'db/index.ts',
  'lib/providers/registry.ts',
  'lib/refunds/schemas.ts',
];

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

function parse(file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function directive(source: ts.SourceFile, name: string): boolean {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === name) return true;
  }
  return false;
}

/** The modules a file loads when it is evaluated: no type-only imports or exports, no import(). */
function staticImports(source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause &&
          !clause.name &&
          clause.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

function resolve(from: string, specifier: string): { file: string } | { pkg: string } {
  const base = specifier.startsWith('@/')
    ? specifier.slice(2)
    : specifier.startsWith('.')
      ? path.posix.join(path.posix.dirname(from), specifier)
      : null;
  if (base === null) {
    const parts = specifier.split('/');
    return { pkg: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
  }
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)]) {
    const full = path.join(ROOT, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return { file: candidate };
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** Everything a client entry loads, each with the chain of imports that reached it. */
function clientGraph(entry: string) {
  const reached = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const visit = (file: string, chain: string[]) => {
    if (reached.has(file)) return;
    reached.set(file, chain);
    const source = parse(file);
    if (chain.length > 1 && directive(source, 'use server')) return;
    if (/\.(css|json|svg)$/.test(file)) return;
    for (const specifier of staticImports(source)) {
      const target = resolve(file, specifier);
      if ('pkg' in target) {
        if (!packages.has(target.pkg)) packages.set(target.pkg, [...chain, specifier]);
      } else visit(target.file, [...chain, target.file]);
    }
  };
  visit(entry, [entry]);
  return { reached, packages };
}

const clientEntries = sourceFiles(['app', 'components']).filter(
  (file) => /\.tsx?$/.test(file) && directive(parse(file), 'use client'),
);

describe('what client components ship to the browser', () => {
  it('finds the client components', () => {
    expect(clientEntries).toContain('components/refunds/refund-form.tsx');
    expect(clientEntries).toContain('components/audit/audit-change.tsx');
    expect(clientEntries.length).toBeGreaterThan(20);
  });

  for (const entry of clientEntries) {
    it(`${entry} reaches no server schema, zod, Drizzle, TanStack Query or provider registry`, () => {
      const { reached, packages } = clientGraph(entry);
      const found = [
        ...FORBIDDEN_PACKAGES.filter((pkg) => packages.has(pkg)).map((pkg) => packages.get(pkg)!.join(' → ')),
        ...FORBIDDEN_MODULES.filter((file) => reached.has(file)).map((file) => reached.get(file)!.join(' → ')),
      ];
      expect(found).toEqual([]);
    });
  }

  it('the test sees through to what it forbids (the lazily loaded poller and schema do reach them)', () => {
    expect(clientGraph('components/refunds/refund-status-poller.tsx').packages.has('@tanstack/react-query')).toBe(true);
    expect(clientGraph('components/refunds/refund-schema.ts').packages.has('zod')).toBe(true);
    expect(clientGraph('components/refunds/refund-schema.ts').reached.has('lib/refunds/schemas.ts')).toBe(true);
  });
});
