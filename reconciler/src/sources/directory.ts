/**
 * A local directory as a source of desired state, watched with chokidar. Atomic saves, renames,
 * deletes and bursts of edits are coalesced by a short debounce; every wake re-reads the whole tree,
 * so a lost or reordered watcher event can never leave the snapshot stale.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import {
  contentRevision,
  isManifestPath,
  type DesiredSource,
  type RevisionReport,
  type SourceSnapshot,
} from './source.ts';

/** Options of a directory source. */
export interface DirectorySourceOptions {
  /** Milliseconds of quiet after the last file event before the tree is re-read. */
  readonly debounceMs?: number;
  /** Called when reading the tree fails (the previous snapshot stays current). */
  readonly onError?: (error: unknown) => void;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.tower']);

/** Reads every *.yaml / *.yml file under `root` into a snapshot with a content-hash revision. */
export async function readDirectorySnapshot(root: string): Promise<SourceSnapshot> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && isManifestPath(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((p) => !p.split(sep).some((part) => SKIPPED_DIRS.has(part) || part.startsWith('.')))
    .sort();
  const files = new Map<string, string>();
  for (const path of paths) {
    try {
      files.set(path.split(sep).join('/'), await readFile(join(root, path), 'utf8'));
    } catch (error) {
      // Deleted between listing and reading: the next event re-reads the tree.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return { revision: contentRevision(files), files };
}

/** Watches a directory and emits a snapshot whenever its manifest content changes. */
export class DirectorySource implements DesiredSource {
  readonly origin: string;
  private readonly root: string;
  private readonly debounceMs: number;
  private readonly onError: (error: unknown) => void;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private lastRevision: string | undefined;
  private emit: (snapshot: SourceSnapshot) => void = () => undefined;

  constructor(root: string, options: DirectorySourceOptions = {}) {
    this.root = root;
    this.origin = `dir:${root}`;
    this.debounceMs = options.debounceMs ?? 10;
    this.onError = options.onError ?? (() => undefined);
  }

  async start(onSnapshot: (snapshot: SourceSnapshot) => void): Promise<void> {
    this.emit = onSnapshot;
    const watcher = watch(this.root, {
      ignoreInitial: true,
      ignored: (path, stats) =>
        path.split(sep).some((part) => SKIPPED_DIRS.has(part)) ||
        (stats?.isFile() === true && !isManifestPath(path)),
    });
    this.watcher = watcher;
    watcher.on('all', () => this.schedule());
    watcher.on('error', (error) => this.onError(error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    await this.read();
  }

  refresh(): void {
    this.schedule();
  }

  report(_report: RevisionReport): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
    await this.reading;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, this.debounceMs);
  }

  /** Reads the tree; a wake during a read causes exactly one more read afterwards. */
  private async read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        try {
          const snapshot = await readDirectorySnapshot(this.root);
          if (!this.closed && snapshot.revision !== this.lastRevision) {
            this.lastRevision = snapshot.revision;
            this.emit(snapshot);
          }
        } catch (error) {
          this.onError(error);
        }
      } while (this.again && !this.closed);
    })();
    try {
      await this.reading;
    } finally {
      this.reading = undefined;
    }
  }
}
