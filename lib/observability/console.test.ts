import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeConsoleToLog } from './console';

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

function target() {
  return { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
}

describe('console output routed to the structured logger', () => {
  it('each console call is one structured line at its level, colour codes removed, an Error attached as err', () => {
    const t = target();
    restore = routeConsoleToLog(t);
    const boom = new Error('connect ECONNREFUSED');
    console.error('\x1b[31m⨯\x1b[0m failed to load', boom);
    console.warn('[auth][warn][debug-enabled]', 'Read more: https://warnings.authjs.dev');
    console.log('ready on %s', 'port 3000');
    console.debug('detail');
    expect(t.error).toHaveBeenCalledWith({ source: 'console', err: boom }, '⨯ failed to load');
    expect(t.warn).toHaveBeenCalledWith(
      { source: 'console' },
      '[auth][warn][debug-enabled] Read more: https://warnings.authjs.dev',
    );
    expect(t.info).toHaveBeenCalledWith({ source: 'console' }, 'ready on port 3000');
    expect(t.debug).toHaveBeenCalledWith({ source: 'console' }, 'detail');
  });

  it('an Error alone keeps its message as the line; routing twice does not wrap twice; restore puts the console back', () => {
    const before = console.error;
    const t = target();
    restore = routeConsoleToLog(t);
    expect(routeConsoleToLog(target())).toBe(restore);
    const boom = new Error('only an error');
    console.error(boom);
    expect(t.error).toHaveBeenCalledTimes(1);
    expect(t.error).toHaveBeenCalledWith({ source: 'console', err: boom }, 'only an error');
    restore();
    restore = null;
    expect(console.error).toBe(before);
  });
});
