/**
 * `tower validate [paths…] [--format text|json|github]`: loads each manifest root (a directory, or a
 * single file) and prints every issue. Exit 0 valid (warnings allowed), 1 invalid, 2 usage error.
 */
import { readFile, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSnapshot } from '../manifest/load.ts';
import type { Issue, Snapshot } from '../manifest/types.ts';
import { readDirectorySnapshot } from '../sources/directory.ts';
import { displayed, formatIssues, type IssueFormat } from './format.ts';

const USAGE = 'usage: tower validate [paths…] [--format text|json|github]';
const FORMATS: readonly IssueFormat[] = ['text', 'json', 'github'];

interface Target {
  readonly snapshot: Snapshot;
  readonly prefix: string;
  /** A single file: the rules that need the rest of the tree are skipped. */
  readonly partial: boolean;
}

async function snapshotOf(path: string): Promise<Target | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory())
    return { snapshot: await readDirectorySnapshot(path), prefix: path, partial: false };
  if (!info?.isFile()) return undefined;
  const files = new Map([[posix.basename(path), await readFile(path, 'utf8')]]);
  return { snapshot: { revision: 'file', files }, prefix: posix.dirname(path), partial: true };
}

const PARTIAL_NOTE =
  'note: single files are checked for syntax, schema and secrets only; pass the manifest root directory to check references, names, markets, strategy rules and the Policy\n';

/** Runs `tower validate`; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`tower validate: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const format = parsed.values.format as IssueFormat;
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!FORMATS.includes(format)) {
    process.stderr.write(`tower validate: unknown format "${format}"\n${USAGE}\n`);
    return 2;
  }
  const paths = parsed.positionals.length > 0 ? parsed.positionals : ['.'];
  const issues: Issue[] = [];
  let files = 0;
  for (const path of paths) {
    const found = await snapshotOf(path);
    if (!found) {
      process.stderr.write(`tower validate: ${path}: no such file or directory\n${USAGE}\n`);
      return 2;
    }
    files += found.snapshot.files.size;
    if (found.partial && format !== 'json') process.stderr.write(PARTIAL_NOTE);
    issues.push(
      ...loadSnapshot(found.snapshot, { partial: found.partial }).issues.map((i) =>
        displayed(i, found.prefix),
      ),
    );
  }
  process.stdout.write(formatIssues(issues, format));
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (format !== 'json')
    process.stderr.write(
      `${files} file(s) checked: ${errors} error(s), ${issues.length - errors} warning(s)\n`,
    );
  return errors > 0 ? 1 : 0;
}
