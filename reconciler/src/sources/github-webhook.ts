/**
 * GitHub push webhooks: `X-Hub-Signature-256` verified with HMAC-SHA256 in constant time, and
 * `X-GitHub-Delivery` ids remembered so a redelivery does not trigger twice. A verified push to the
 * followed branch asks the source to poll at once; the poll (not the payload) decides what changed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the webhook endpoint answers: HTTP status and a short reason. */
export interface WebhookOutcome {
  readonly status: 200 | 202 | 400 | 401;
  readonly reason: string;
  /** True when the delivery should wake the source. */
  readonly trigger: boolean;
}

/** A received webhook request: lower-cased headers and the raw body bytes. */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`, compared in constant time. */
export function verifyGitHubSignature(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (signature === undefined || !signature.startsWith('sha256=')) return false;
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Verifies and de-duplicates GitHub deliveries for one followed branch. */
export class GitHubWebhookReceiver {
  private readonly secret: string;
  private readonly ref: string;
  private readonly seen = new Set<string>();
  private readonly memory: number;

  constructor(options: {
    readonly secret: string;
    readonly branch: string;
    readonly rememberDeliveries?: number;
  }) {
    this.secret = options.secret;
    this.ref = options.branch.startsWith('refs/') ? options.branch : `refs/heads/${options.branch}`;
    this.memory = options.rememberDeliveries ?? 1000;
  }

  /** Decides what to do with one delivery. */
  receive(request: WebhookRequest): WebhookOutcome {
    if (!verifyGitHubSignature(this.secret, request.body, header(request, 'x-hub-signature-256'))) {
      return { status: 401, reason: 'signature mismatch', trigger: false };
    }
    const delivery = header(request, 'x-github-delivery');
    if (delivery === undefined || delivery === '')
      return { status: 400, reason: 'missing delivery id', trigger: false };
    if (this.seen.has(delivery)) return { status: 200, reason: 'duplicate delivery', trigger: false };
    this.remember(delivery);
    const event = header(request, 'x-github-event');
    if (event === 'ping') return { status: 200, reason: 'pong', trigger: false };
    if (event !== 'push')
      return { status: 202, reason: `ignored event ${event ?? '(none)'}`, trigger: false };
    let ref: unknown;
    try {
      ref = (JSON.parse(request.body.toString('utf8')) as { ref?: unknown }).ref;
    } catch {
      return { status: 400, reason: 'body is not JSON', trigger: false };
    }
    if (ref !== this.ref) return { status: 202, reason: `ignored push to ${String(ref)}`, trigger: false };
    return { status: 202, reason: 'reconcile requested', trigger: true };
  }

  private remember(delivery: string): void {
    this.seen.add(delivery);
    if (this.seen.size > this.memory) {
      // Sets iterate in insertion order: drop the oldest delivery id.
      this.seen.delete(this.seen.values().next().value!);
    }
  }
}
