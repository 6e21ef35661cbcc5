import { format } from 'node:util';
import { log } from '@/lib/log';

type Level = 'error' | 'warn' | 'info' | 'debug';
type Target = Record<Level, (fields: Record<string, unknown>, message: string) => void>;

// Terminal colour codes, which mean nothing in a JSON line.
const ANSI = /\x1b\[[0-9;]*m/g;
const METHODS: Record<'error' | 'warn' | 'info' | 'log' | 'debug', Level> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  log: 'info',
  debug: 'debug',
};

const globalForConsole = globalThis as unknown as { __refundDeskConsole?: () => void };

/**
 * Sends what libraries print with `console.*` (Next.js's own request errors, React's warnings, a
 * library's notice) through the app's structured logger: one JSON line each, `source: "console"`,
 * an Error argument as `err` (with its stack: these are the unexpected ones), colour codes removed.
 * For the server process in production (instrumentation.ts); in development the terminal's plain
 * lines are easier to read. Idempotent; returns the function that puts the console back.
 */
export function routeConsoleToLog(target: Target = log as unknown as Target): () => void {
  if (globalForConsole.__refundDeskConsole) return globalForConsole.__refundDeskConsole;
  const original = { ...console };
  for (const [method, level] of Object.entries(METHODS) as [keyof typeof METHODS, Level][]) {
    console[method] = (...args: unknown[]) => {
      const err = args.find((arg): arg is Error => arg instanceof Error);
      const rest = err ? args.filter((arg) => arg !== err) : args;
      const message = format(...rest)
        .replace(ANSI, '')
        .trim();
      target[level]({ source: 'console', ...(err ? { err } : {}) }, message || (err?.message ?? ''));
    };
  }
  const restore = () => {
    for (const method of Object.keys(METHODS) as (keyof typeof METHODS)[]) console[method] = original[method];
    globalForConsole.__refundDeskConsole = undefined;
  };
  globalForConsole.__refundDeskConsole = restore;
  return restore;
}
