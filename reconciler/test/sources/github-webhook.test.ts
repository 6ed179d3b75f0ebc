import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { GitHubWebhookReceiver, verifyGitHubSignature } from '../../src/sources/github-webhook.ts';

const secret = 'webhook-secret';
const sign = (body: Buffer, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

function delivery(body: object, id: string, event = 'push', signature?: string) {
  const raw = Buffer.from(JSON.stringify(body));
  return {
    headers: {
      'x-hub-signature-256': signature ?? sign(raw),
      'x-github-delivery': id,
      'x-github-event': event,
    },
    body: raw,
  };
}

describe('verifyGitHubSignature', () => {
  it('accepts the HMAC-SHA256 of the exact body and rejects any other', () => {
    const body = Buffer.from('{"ref":"refs/heads/main"}');

    expect(verifyGitHubSignature(secret, body, sign(body))).toBe(true);
    expect(verifyGitHubSignature(secret, Buffer.from(`${body.toString()} `), sign(body))).toBe(false);
    expect(verifyGitHubSignature(secret, body, sign(body, 'other'))).toBe(false);
    expect(verifyGitHubSignature(secret, body, 'sha256=abc')).toBe(false);
    expect(verifyGitHubSignature(secret, body, undefined)).toBe(false);
  });
});

describe('GitHubWebhookReceiver', () => {
  it('triggers a reconcile for a signed push to the followed branch', () => {
    const receiver = new GitHubWebhookReceiver({ secret, branch: 'main' });

    const outcome = receiver.receive(delivery({ ref: 'refs/heads/main' }, 'd-1'));

    expect(outcome).toEqual({ status: 202, reason: 'reconcile requested', trigger: true });
  });

  it('rejects a push with a bad signature with 401 and no trigger', () => {
    const receiver = new GitHubWebhookReceiver({ secret, branch: 'main' });

    const outcome = receiver.receive(
      delivery({ ref: 'refs/heads/main' }, 'd-1', 'push', sign(Buffer.from('other'))),
    );

    expect(outcome.status).toBe(401);
    expect(outcome.trigger).toBe(false);
  });

  it('acts on a redelivered delivery id only once', () => {
    const receiver = new GitHubWebhookReceiver({ secret, branch: 'main' });

    const first = receiver.receive(delivery({ ref: 'refs/heads/main' }, 'd-7'));
    const second = receiver.receive(delivery({ ref: 'refs/heads/main' }, 'd-7'));

    expect(first.trigger).toBe(true);
    expect(second).toEqual({ status: 200, reason: 'duplicate delivery', trigger: false });
  });

  it('ignores pushes to other branches and other events', () => {
    const receiver = new GitHubWebhookReceiver({ secret, branch: 'main' });

    expect(receiver.receive(delivery({ ref: 'refs/heads/dev' }, 'd-1')).trigger).toBe(false);
    expect(receiver.receive(delivery({ zen: 'hi' }, 'd-2', 'ping')).status).toBe(200);
    expect(receiver.receive(delivery({}, 'd-3', 'issues')).trigger).toBe(false);
  });

  it('forgets the oldest delivery ids beyond its memory', () => {
    const receiver = new GitHubWebhookReceiver({ secret, branch: 'main', rememberDeliveries: 2 });

    receiver.receive(delivery({ ref: 'refs/heads/main' }, 'a'));
    receiver.receive(delivery({ ref: 'refs/heads/main' }, 'b'));
    receiver.receive(delivery({ ref: 'refs/heads/main' }, 'c'));

    expect(receiver.receive(delivery({ ref: 'refs/heads/main' }, 'a')).trigger).toBe(true);
    expect(receiver.receive(delivery({ ref: 'refs/heads/main' }, 'c')).trigger).toBe(false);
  });
});
