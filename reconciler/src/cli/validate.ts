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

async function snapshotOf(path: string): Promise<{ snapshot: Snapshot; prefix: string } | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { snapshot: await readDirectorySnapshot(path), prefix: path };
  // A single file is its own manifest root: references into other files are not visible from it.
  if (info?.isFile()) return { snapshot: { revision: 'file', files: new Map([[posix.basename(path), await readFile(path, 'utf8')]]) }, prefix: posix.dirname(path) };
  return undefined;
}

/** Runs `tower validate`; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } } });
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
    issues.push(...loadSnapshot(found.snapshot).issues.map((i) => displayed(i, found.prefix)));
  }
  process.stdout.write(formatIssues(issues, format));
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (format !== 'json') process.stderr.write(`${files} file(s) checked: ${errors} error(s), ${issues.length - errors} warning(s)\n`);
  return errors > 0 ? 1 : 0;
}
