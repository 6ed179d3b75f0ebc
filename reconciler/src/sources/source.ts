/**
 * Sources of desired state (DESIGN §2): a local directory or a GitHub repository. Both produce the same
 * thing, a snapshot `{ revision, files }`, that the loader and planner turn into a plan. A source only
 * wakes the reconciler; the reconciler always reads the whole snapshot (level-triggered).
 */
import { createHash } from 'node:crypto';

/** Every manifest file under the source root at one revision: relative posix path → text. */
export interface SourceSnapshot {
  /** Git commit SHA, or `sha256:<hex>` content hash for a directory. */
  readonly revision: string;
  readonly files: ReadonlyMap<string, string>;
}

/** The outcome the reconciler reports back to a source for a revision (GitHub: a commit status). */
export interface RevisionReport {
  readonly revision: string;
  readonly state: 'pending' | 'success' | 'failure' | 'error';
  readonly description: string;
}

/** A source of desired state. */
export interface DesiredSource {
  /** Human-readable origin for logs and status (`dir:bots.example`, `github:o/r@main`). */
  readonly origin: string;
  /** Starts watching/polling; resolves after the first snapshot was delivered to `onSnapshot`. */
  start(onSnapshot: (snapshot: SourceSnapshot) => void): Promise<void>;
  /** Asks for a fresh read now (push webhook, manual refresh); coalesced with one in flight. */
  refresh(): void;
  /** Reports the outcome of applying a revision back to where it came from (no-op for directories). */
  report(report: RevisionReport): Promise<void>;
  /** Stops intake; resolves when no read is in flight. */
  close(): Promise<void>;
}

/** Whether a path names a manifest file. */
export function isManifestPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The content revision of a set of files: a hash over sorted (path, text) pairs. */
export function contentRevision(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    hash.update(path).update('\0').update(files.get(path)!).update('\0');
  }
  return `sha256:${hash.digest('hex').slice(0, 40)}`;
}
