import { afterEach, describe, expect, it, vi } from 'vitest';
import { crashPoint } from './crash-points';

/**
 * The crash proof's kill switch (prove/parts/crashes.ts) must do nothing unless a test-hooks build
 * is also told, at run time, which point to die at.
 */
describe('crashPoint', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  const kills = () => vi.spyOn(process, 'kill').mockImplementation(() => true);

  it('kills its own process with SIGKILL at the named point in a test-hooks build', () => {
    const kill = kills();
    vi.stubEnv('RD_TEST_HOOKS', '1');
    vi.stubEnv('RD_CRASH_AT', 'submit.after_claim');
    crashPoint('submit.after_claim');
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
  });

  it('does nothing at another point', () => {
    const kill = kills();
    vi.stubEnv('RD_TEST_HOOKS', '1');
    vi.stubEnv('RD_CRASH_AT', 'submit.after_claim');
    crashPoint('webhook.applying');
    expect(kill).not.toHaveBeenCalled();
  });

  it('does nothing in a build without the test hooks, even when asked at run time', () => {
    const kill = kills();
    for (const built of ['', '0', undefined]) {
      vi.stubEnv('RD_TEST_HOOKS', built);
      vi.stubEnv('RD_CRASH_AT', 'submit.after_claim');
      crashPoint('submit.after_claim');
    }
    expect(kill).not.toHaveBeenCalled();
  });
});
