import { describe, expect, it } from 'vitest';
import { clientFor, harnessFor } from '@/test/providers/forage/harness';
import { describeForageError, errorCodeOf, FORAGE_DOCUMENTED_CODES, FORAGE_ERROR_CODES, UNKNOWN_FORAGE_ERROR } from './errors';

/** describeError: a plain sentence and a next step for every code an agent can meet. */

const SANDBOX_CODES = [
  'missing_merchant_account',
  'invalid_merchant_account',
  'missing_idempotency_key',
  'invalid_idempotency_key',
  'invalid_api_version',
  'invalid_request_body',
  'unknown_product',
  'quantity_exceeds_refundable',
  'amount_exceeds_refundable',
  'refund_in_progress',
  'nothing_to_refund',
  'order_not_refundable',
  'no_matching_payment',
  'too_many_requests',
  'server_error',
];

describe('describeError', () => {
  const client = clientFor(harnessFor('http://127.0.0.1:9'));

  it('describes every code, documented and the sandbox own, in plain sentences', () => {
    for (const code of [...FORAGE_DOCUMENTED_CODES, ...SANDBOX_CODES]) expect(FORAGE_ERROR_CODES).toContain(code);
    for (const code of FORAGE_ERROR_CODES) {
      const { message, action } = client.profile.describeError(code);
      expect(message, code).toMatch(/^[A-Z].{10,}\.$/);
      expect(action, code).toMatch(/^[A-Z].{5,}\.$/);
      expect(`${message} ${action}`, code).not.toMatch(/_|HTTP|idempotency|token|\b\d{3}\b/i);
      expect(client.profile.describeError(code)).not.toEqual(UNKNOWN_FORAGE_ERROR);
    }
  });

  it('gives the documented example for an unknown order', () => {
    expect(describeForageError('resource_not_found')).toEqual({
      message: 'Forage could not find this order for our merchant account.',
      action: 'Check the order reference, or import the order again.',
    });
  });

  it('falls back for an unknown code, and for inherited property names', () => {
    expect(describeForageError('brand_new_code')).toEqual(UNKNOWN_FORAGE_ERROR);
    expect(describeForageError('toString')).toEqual(UNKNOWN_FORAGE_ERROR);
  });

  it('reads the code from the envelope, or from the status for {detail} bodies', () => {
    const envelope = {
      path: '/x',
      errors: [{ code: 'cannot_change_request', message: 'm', source: { resource: 'Idempotency_Key' } }],
    };
    expect(errorCodeOf(400, envelope)).toBe('cannot_change_request');
    expect(errorCodeOf(401, { detail: 'Authentication credentials were not provided.' })).toBe('invalid_token');
    expect(errorCodeOf(403, { detail: 'x' })).toBe('forbidden');
    expect(errorCodeOf(404, { detail: 'Not found.' })).toBe('resource_not_found');
    expect(errorCodeOf(429, '')).toBe('too_many_requests');
    expect(errorCodeOf(502, '<html>Bad gateway</html>')).toBe('server_error');
    expect(errorCodeOf(418, null)).toBe('unexpected_response');
  });
});
