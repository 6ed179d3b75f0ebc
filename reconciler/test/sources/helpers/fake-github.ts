/**
 * A local HTTP server that serves the GitHub REST endpoints the GitHub source uses: commits by ref
 * (with ETag / If-None-Match → 304), recursive trees, blobs, and commit statuses. The real Octokit
 * client talks to it through `baseUrl`. Requests are recorded so tests can count them.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A commit status the fake received. */
export interface ReceivedStatus {
  readonly sha: string;
  readonly state: string;
  readonly context: string;
  readonly description: string;
}

interface Commit {
  readonly sha: string;
  readonly tree: string;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The fake GitHub API for one repository. */
export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly requests: { method: string; path: string; status: number }[] = [];
  readonly statuses: ReceivedStatus[] = [];
  private readonly server: Server;
  private readonly blobs = new Map<string, string>();
  private readonly trees = new Map<string, { path: string; sha: string }[]>();
  private readonly branches = new Map<string, Commit>();
  private statusWaiters: (() => void)[] = [];
  url = '';

  constructor(owner = 'acme', repo = 'bots') {
    this.owner = owner;
    this.repo = repo;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, body, headers } = this.route(
          req.method ?? 'GET',
          req.url ?? '/',
          req.headers,
          Buffer.concat(chunks),
        );
        this.requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', status });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(status === 304 ? undefined : JSON.stringify(body));
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Commits `files` as the new head of `branch` and returns the commit SHA. */
  push(branch: string, files: Readonly<Record<string, string>>): string {
    const entries = Object.entries(files).map(([path, text]) => {
      const sha = sha1(`blob:${text}`);
      this.blobs.set(sha, text);
      return { path, sha };
    });
    const tree = sha1(`tree:${JSON.stringify(entries)}`);
    this.trees.set(tree, entries);
    const sha = sha1(`commit:${tree}:${this.branches.get(branch)?.sha ?? ''}:${Math.random()}`);
    this.branches.set(branch, { sha, tree });
    return sha;
  }

  /** Resolves when at least `n` commit statuses were received. */
  async waitForStatuses(n: number): Promise<void> {
    while (this.statuses.length < n) await new Promise<void>((r) => this.statusWaiters.push(r));
  }

  private route(method: string, url: string, headers: NodeJS.Dict<string | string[]>, body: Buffer) {
    const path = new URL(url, 'http://x').pathname;
    const base = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(base)) return { status: 404, body: { message: 'Not Found' }, headers: {} };
    const rest = path.slice(base.length);
    let m = /^\/commits\/(.+)$/.exec(rest);
    if (method === 'GET' && m) {
      const commit = this.branches.get(decodeURIComponent(m[1]!));
      if (!commit) return { status: 404, body: { message: 'No commit found for SHA' }, headers: {} };
      const etag = `"${commit.sha}"`;
      if (headers['if-none-match'] === etag) return { status: 304, body: undefined, headers: { etag } };
      return {
        status: 200,
        body: { sha: commit.sha, commit: { tree: { sha: commit.tree } } },
        headers: { etag },
      };
    }
    m = /^\/git\/trees\/([0-9a-f]+)$/.exec(rest);
    if (method === 'GET' && m) {
      const tree = this.trees.get(m[1]!) ?? [];
      const entries = tree.map((e) => ({ path: e.path, mode: '100644', type: 'blob', sha: e.sha }));
      return { status: 200, body: { sha: m[1], tree: entries, truncated: false }, headers: {} };
    }
    m = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest);
    if (method === 'GET' && m) {
      const text = this.blobs.get(m[1]!);
      if (text === undefined) return { status: 404, body: { message: 'Not Found' }, headers: {} };
      return {
        status: 200,
        body: { sha: m[1], content: Buffer.from(text).toString('base64'), encoding: 'base64' },
        headers: {},
      };
    }
    m = /^\/statuses\/([0-9a-f]+)$/.exec(rest);
    if (method === 'POST' && m) {
      const parsed = JSON.parse(body.toString('utf8')) as Omit<ReceivedStatus, 'sha'>;
      this.statuses.push({
        sha: m[1]!,
        state: parsed.state,
        context: parsed.context,
        description: parsed.description,
      });
      const waiters = this.statusWaiters;
      this.statusWaiters = [];
      for (const w of waiters) w();
      return { status: 201, body: { id: this.statuses.length, state: parsed.state }, headers: {} };
    }
    return { status: 404, body: { message: `no fake route ${method} ${rest}` }, headers: {} };
  }
}
