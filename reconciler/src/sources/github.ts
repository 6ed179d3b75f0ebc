/**
 * A GitHub repository as a source of desired state, read through the REST API with no clone: the
 * branch resolves to a commit (a conditional request, so an unchanged branch costs a 304 that does not
 * count against the rate limit), then the commit's tree and the blobs of the manifest folder. Trees and
 * blobs are immutable by SHA and cached. Polls on an interval counted from the end of the last poll;
 * push webhooks call `refresh()` to poll at once. Outcomes go back as commit statuses.
 */
import type { Octokit } from '@octokit/rest';
import { isManifestPath, type DesiredSource, type RevisionReport, type SourceSnapshot } from './source.ts';

/** Options of a GitHub source. */
export interface GitHubSourceOptions {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  /** Branch (or any ref) to follow. */
  readonly ref: string;
  /** Manifest folder inside the repository (`''` for the root). */
  readonly path?: string;
  readonly pollIntervalMs?: number;
  /** Commit status context. */
  readonly statusContext?: string;
  readonly onError?: (error: unknown) => void;
}

interface TreeEntry {
  readonly path: string;
  readonly sha: string;
}

function isNotModified(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 304;
}

/** Follows a branch of a GitHub repository and emits a snapshot for every new commit. */
export class GitHubSource implements DesiredSource {
  readonly origin: string;
  private readonly options: GitHubSourceOptions;
  private readonly prefix: string;
  private readonly blobs = new Map<string, string>();
  private readonly trees = new Map<string, readonly TreeEntry[]>();
  private commitEtag: string | undefined;
  private lastRevision: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private emit: (snapshot: SourceSnapshot) => void = () => undefined;
  /** Requests made and 304 answers received (observability and tests). */
  readonly stats = { requests: 0, notModified: 0 };

  constructor(options: GitHubSourceOptions) {
    this.options = options;
    const folder = (options.path ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = folder === '' ? '' : `${folder}/`;
    this.origin = `github:${options.owner}/${options.repo}@${options.ref}${folder ? `:${folder}` : ''}`;
  }

  async start(onSnapshot: (snapshot: SourceSnapshot) => void): Promise<void> {
    this.emit = onSnapshot;
    try {
      const snapshot = await this.fetchSnapshot();
      if (snapshot) this.deliver(snapshot);
    } catch (error) {
      // GitHub may be briefly unreachable at start: keep polling rather than failing the service.
      (this.options.onError ?? (() => undefined))(error);
    }
    this.schedule();
  }

  refresh(): void {
    void this.poll();
  }

  async report(report: RevisionReport): Promise<void> {
    const { octokit, owner, repo } = this.options;
    this.stats.requests += 1;
    await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: report.revision,
      state: report.state,
      context: this.options.statusContext ?? 'tradingtower/reconcile',
      description: report.description.slice(0, 140),
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
  }

  /** Resolves the ref; returns undefined when the branch has not moved since the last read. */
  async fetchSnapshot(): Promise<SourceSnapshot | undefined> {
    const { octokit, owner, repo, ref } = this.options;
    let commit;
    try {
      this.stats.requests += 1;
      commit = await octokit.rest.repos.getCommit({
        owner,
        repo,
        ref,
        headers: this.commitEtag ? { 'if-none-match': this.commitEtag } : {},
      });
    } catch (error) {
      if (isNotModified(error)) {
        this.stats.notModified += 1;
        return undefined;
      }
      throw error;
    }
    const sha = commit.data.sha;
    if (sha === this.lastRevision) {
      this.commitEtag = commit.headers.etag;
      return undefined;
    }
    const entries = await this.readTree(commit.data.commit.tree.sha);
    const files = new Map<string, string>();
    for (const entry of entries)
      files.set(entry.path.slice(this.prefix.length), await this.readBlob(entry.sha));
    // Remember the ETag only once the whole snapshot was read, so a failed read is retried in full.
    this.commitEtag = commit.headers.etag;
    return { revision: sha, files };
  }

  private async readTree(treeSha: string): Promise<readonly TreeEntry[]> {
    const cached = this.trees.get(treeSha);
    if (cached) return cached;
    const { octokit, owner, repo } = this.options;
    this.stats.requests += 1;
    const tree = await octokit.rest.git.getTree({ owner, repo, tree_sha: treeSha, recursive: 'true' });
    if (tree.data.truncated) {
      throw new Error(`github:${owner}/${repo}: tree ${treeSha} is too large for one request (truncated)`);
    }
    const entries = tree.data.tree
      .filter((e) => e.type === 'blob')
      .map((e) => ({ path: e.path, sha: e.sha }))
      .filter((e) => e.path.startsWith(this.prefix) && isManifestPath(e.path))
      .sort((a, b) => a.path.localeCompare(b.path));
    this.trees.set(treeSha, entries);
    return entries;
  }

  private async readBlob(blobSha: string): Promise<string> {
    const cached = this.blobs.get(blobSha);
    if (cached !== undefined) return cached;
    const { octokit, owner, repo } = this.options;
    this.stats.requests += 1;
    const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: blobSha });
    const text =
      blob.data.encoding === 'base64'
        ? Buffer.from(blob.data.content, 'base64').toString('utf8')
        : blob.data.content;
    this.blobs.set(blobSha, text);
    return text;
  }

  private deliver(snapshot: SourceSnapshot): void {
    if (this.closed) return;
    this.lastRevision = snapshot.revision;
    this.emit(snapshot);
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), this.options.pollIntervalMs ?? 60_000);
  }

  /** One poll; a refresh during a poll causes exactly one more poll afterwards. */
  private async poll(): Promise<void> {
    if (this.closed) return;
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        try {
          const snapshot = await this.fetchSnapshot();
          if (snapshot) this.deliver(snapshot);
        } catch (error) {
          (this.options.onError ?? (() => undefined))(error);
        }
      } while (this.again && !this.closed);
    })();
    try {
      await this.polling;
    } finally {
      this.polling = undefined;
      this.schedule();
    }
  }
}
