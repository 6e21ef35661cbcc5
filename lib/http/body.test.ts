import { describe, expect, it } from 'vitest';
import { readBodyCapped } from './body';

const streamOf = (bytes: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 1024) controller.enqueue(new Uint8Array(Math.min(1024, bytes - sent)).fill(97));
      controller.close();
    },
  });

describe('readBodyCapped', () => {
  it('reads a body within the cap', async () => {
    expect(await readBodyCapped(new Request('http://x/', { method: 'POST', body: '{"a":1}' }), 64)).toBe('{"a":1}');
    expect(await readBodyCapped(new Request('http://x/'), 64)).toBe('');
  });

  it('refuses a declared length above the cap without reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x'.repeat(100), headers: { 'content-length': '100' } });
    expect(await readBodyCapped(request, 64)).toBeNull();
  });

  it('cuts off a body that streams past the cap (no declared length)', async () => {
    const request = new Request('http://x/', { method: 'POST', body: streamOf(70 * 1024), duplex: 'half' } as RequestInit);
    expect(await readBodyCapped(request, 64 * 1024)).toBeNull();
    const small = new Request('http://x/', { method: 'POST', body: streamOf(2048), duplex: 'half' } as RequestInit);
    expect(await readBodyCapped(small, 64 * 1024)).toHaveLength(2048);
  });
});
