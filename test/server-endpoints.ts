import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Finds, from the source itself, everything a browser can call on the server: every module whose
 * directive prologue says 'use server' (each of its exports is a server action), every function
 * with an inline 'use server' directive, and every route handler file under app/. Used by the
 * permission matrix (lib/auth/permission-matrix.test.ts), so a new endpoint is covered, or the test
 * fails, without anyone remembering to add it.
 */

export const ROOT = path.resolve(import.meta.dirname, '..');

/** Where server code that the App Router can expose lives. */
export const SOURCE_DIRS = ['app', 'lib', 'components'] as const;

/** The functions a route.ts may export that Next.js answers requests with. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;
const ROUTE_FILE = /(?:^|\/)route\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Source files under `dirs`, as repository-relative POSIX paths, sorted; tests excluded. */
export function sourceFiles(dirs: readonly string[] = SOURCE_DIRS): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(rel);
      } else if (SOURCE_FILE.test(entry.name) && !TEST_FILE.test(entry.name)) {
        out.push(rel);
      }
    }
  };
  for (const dir of dirs) if (fs.existsSync(path.join(ROOT, dir))) walk(dir);
  return out.sort();
}

function parse(file: string, text: string): ts.SourceFile {
  const kind = /x$/.test(file) ? ts.ScriptKind.TSX : /js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** Whether a statement list opens with a directive prologue holding 'use server'. */
function hasUseServer(statements: readonly ts.Statement[]): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use server') return true;
  }
  return false;
}

export interface InlineServerAction {
  file: string;
  line: number;
}

export interface ServerSurface {
  /** Modules whose every export is a server action. */
  useServerModules: string[];
  /** Functions declared as server actions inside another module (a form's `action={async () => {…}}`). */
  inlineServerActions: InlineServerAction[];
  /** app/**\/route.* files. */
  routeFiles: string[];
}

export function discoverServerSurface(dirs: readonly string[] = SOURCE_DIRS): ServerSurface {
  const useServerModules: string[] = [];
  const inlineServerActions: InlineServerAction[] = [];
  const routeFiles: string[] = [];
  for (const file of sourceFiles(dirs)) {
    if (file.startsWith('app/') && ROUTE_FILE.test(file)) routeFiles.push(file);
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (!text.includes('use server')) continue; // no directive can hide without these words
    const source = parse(file, text);
    if (hasUseServer(source.statements)) useServerModules.push(file);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body) && hasUseServer(node.body.statements)) {
        inlineServerActions.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { useServerModules, inlineServerActions, routeFiles };
}
