/** Issue output for the CLI: `file:line:col: code: message` text, a JSON array, or GitHub workflow annotations. */
import { posix } from 'node:path';
import type { Issue } from '../manifest/types.ts';

/** Output formats of `tower validate`. */
export type IssueFormat = 'text' | 'json' | 'github';

// GitHub workflow commands: data and property values are percent-escaped.
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** An issue with its file shown relative to the current directory. */
export function displayed(issue: Issue, prefix: string): Issue {
  return prefix === '' || prefix === '.' ? issue : { ...issue, file: posix.join(prefix, issue.file) };
}

/** Renders issues in a format (ending with a newline, or empty text for no issues in text/github). */
export function formatIssues(issues: readonly Issue[], format: IssueFormat): string {
  if (format === 'json') return `${JSON.stringify(issues, null, 2)}\n`;
  const lines = issues.map((i) => {
    if (format === 'github') {
      const props = `file=${escapeProperty(i.file)},line=${i.line},col=${i.col},title=${escapeProperty(i.code)}`;
      return `::${i.severity} ${props}::${escapeData(i.message)}`;
    }
    return `${i.file}:${i.line}:${i.col}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.code}: ${i.message}`;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
