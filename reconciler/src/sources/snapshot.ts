/**
 * Snapshots for the CLI: a directory on disk, or a git ref of the current repository read without a
 * checkout (`git ls-tree` + `git cat-file --batch`). `ref:path` names a folder inside the ref; a bare
 * ref means the folder of the current directory, as git commands do.
 */
import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import type { Snapshot } from '../manifest/types.ts';
import { readDirectorySnapshot } from './directory.ts';
import { isManifestPath } from './source.ts';

const run = promisify(execFile);

/** A snapshot and a human-readable name of where it came from. */
export interface NamedSnapshot extends Snapshot {
  /** `dir:<path>` or `git:<ref>@<sha>:<path>`. */
  readonly origin: string;
  /** Prefix that turns a snapshot path into a path relative to the current directory (for annotations). */
  readonly displayPrefix: string;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** Reads blobs by id with one `git cat-file --batch` process. */
function readBlobs(cwd: string, ids: readonly string[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file failed (${code}): ${stderr.trim()}`));
      const out = Buffer.concat(chunks);
      const blobs: Buffer[] = [];
      let at = 0;
      for (let i = 0; i < ids.length; i++) {
        const eol = out.indexOf(0x0a, at);
        const size = Number(out.subarray(at, eol).toString().split(' ')[2]);
        blobs.push(out.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolve(blobs);
    });
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
}

function skipped(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === 'node_modules');
}

/** Reads a folder of a git ref (no checkout); throws when the ref does not name a commit. */
export async function readGitSnapshot(spec: string, cwd = process.cwd()): Promise<NamedSnapshot> {
  const colon = spec.indexOf(':');
  const ref = colon === -1 ? spec : spec.slice(0, colon);
  const prefix =
    colon === -1 ? (await git(cwd, ['rev-parse', '--show-prefix'])).trim() : spec.slice(colon + 1);
  const folder = prefix.replace(/^\/+|\/+$/g, '');
  let commit: string;
  try {
    commit = (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new Error(`"${spec}" is neither a directory nor a commit of the git repository at ${cwd}`);
  }
  const listing = await git(cwd, [
    'ls-tree',
    '-r',
    '-z',
    '--full-tree',
    commit,
    '--',
    folder === '' ? '.' : folder,
  ]);
  const entries = listing
    .split('\0')
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      const [, type, id] = meta.split(' ') as [string, string, string];
      return { type, id, path: folder === '' ? path : posix.relative(folder, path) };
    })
    .filter((e) => e.type === 'blob' && isManifestPath(e.path) && !skipped(e.path))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const blobs = await readBlobs(
    cwd,
    entries.map((e) => e.id),
  );
  // Lenient UTF-8 decoding on purpose: invalid bytes become U+FFFD, which the loader reports, located.
  const files = new Map(entries.map((e, i) => [e.path, blobs[i]!.toString('utf8')]));
  const top = (await git(cwd, ['rev-parse', '--show-cdup'])).trim();
  return {
    revision: commit,
    files,
    origin: `git:${ref}@${commit.slice(0, 12)}:${folder}`,
    displayPrefix: posix.join(top, folder),
  };
}

/** Reads a directory, or else a git ref (`ref` or `ref:folder`), into a snapshot. */
export async function readSnapshot(spec: string, cwd = process.cwd()): Promise<NamedSnapshot> {
  const path = posix.isAbsolute(spec) ? spec : posix.join(cwd, spec);
  if (await isDirectory(path)) {
    const snapshot = await readDirectorySnapshot(path);
    return { ...snapshot, origin: `dir:${spec}`, displayPrefix: spec };
  }
  return readGitSnapshot(spec, cwd);
}
