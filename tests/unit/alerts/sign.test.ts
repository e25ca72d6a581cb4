import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../../src/alerts/sign.js';

// The Standard Webhooks specification's own example (spec/standard-webhooks.md, "Signature scheme").
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the specification test vector', () => {
    const headers = signatureHeaders({ id: VECTOR.id, at: new Date(VECTOR.timestamp * 1000), body: VECTOR.body, secrets: [VECTOR.secret] });
    expect(headers).toEqual({ 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature });
  });

  it('signs with both secrets while rotating, and each verifies on its own', () => {
    const newSecret = 'whsec_' + Buffer.from('a brand new secret key 32 bytes!').toString('base64');
    const at = new Date();
    const body = JSON.stringify({ type: 'article.matched', data: { x: 1 } });
    const headers = signatureHeaders({ id: 'msg_rotate', at, body, secrets: [VECTOR.secret, newSecret] });
    const sigs = headers['webhook-signature']?.split(' ') ?? [];
    expect(sigs).toHaveLength(2);
    expect(sigs.every((s) => s.startsWith('v1,'))).toBe(true);
    expect(new Webhook(VECTOR.secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook('whsec_' + Buffer.from('some other key entirely, 32 byte').toString('base64')).verify(body, headers)).toThrow();
  });

  it('a changed body or id no longer verifies', () => {
    const at = new Date();
    const headers = signatureHeaders({ id: 'msg_1', at, body: '{"a":1}', secrets: [VECTOR.secret] });
    expect(() => new Webhook(VECTOR.secret).verify('{"a":2}', headers)).toThrow();
    expect(() => new Webhook(VECTOR.secret).verify('{"a":1}', { ...headers, 'webhook-id': 'msg_2' })).toThrow();
  });
});
