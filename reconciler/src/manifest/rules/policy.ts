/**
 * Policy rules: `policy-duplicate` (one Policy per namespace), `policy-live-trading` (live accounts only
 * where the Policy allows live trading), `policy-leverage-cap`, `policy-notional-cap` and
 * `policy-risk-cap` (a bot's leverage, budget and own risk limits stay within the Policy's caps).
 * A bot's Policy is the one of its namespace, else the one of namespace `default`.
 */
import { dec, isDec } from '@tradingtower/engine';
import { issueAt, valueAt, type ManifestDocument } from '../document.ts';
import { escapePointer } from '../yaml-document.ts';
import type { Issue } from '../types.ts';

// Where each strategy keeps the quote it commits; the first present one is the bot's budget.
const BUDGET_PATHS = ['/investment', '/budget/maxQuote', '/budget', '/totalQuote', '/margin'];

function decimalOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && isDec(value)) return value;
  return undefined;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The effective Policy of each namespace, and issues for namespaces with more than one. */
export function policiesByNamespace(documents: readonly ManifestDocument[]): {
  policies: Map<string, ManifestDocument>;
  issues: Issue[];
} {
  const policies = new Map<string, ManifestDocument>();
  const issues: Issue[] = [];
  for (const doc of documents) {
    if (doc.kind !== 'Policy' || !doc.valid) continue;
    const earlier = policies.get(doc.namespace);
    if (earlier) {
      const message = `namespace "${doc.namespace}" already has Policy "${earlier.name}" (${earlier.parsed.file}); one Policy per namespace`;
      issues.push(issueAt(doc.parsed, '/metadata/name', 'policy-duplicate', message));
    } else policies.set(doc.namespace, doc);
  }
  return { policies, issues };
}

/** The Policy that governs a namespace. */
export function policyFor(
  policies: ReadonlyMap<string, ManifestDocument>,
  namespace: string,
): ManifestDocument | undefined {
  return policies.get(namespace) ?? policies.get('default');
}

/** `policy-live-trading` for a live Account whose Policy does not allow live trading in its namespace. */
export function liveTradingIssues(account: ManifestDocument, policy: ManifestDocument | undefined): Issue[] {
  if (account.spec['mode'] !== 'live') return [];
  const live = record(policy?.spec['liveTrading']);
  const namespaces = live['namespaces'];
  const allowed =
    live['allowed'] === true && (!Array.isArray(namespaces) || namespaces.includes(account.namespace));
  if (allowed) return [];
  const why = policy
    ? `Policy "${policy.name}" does not allow live trading in namespace "${account.namespace}"`
    : 'no Policy allows live trading';
  return [
    issueAt(
      account.parsed,
      '/spec/mode',
      'policy-live-trading',
      `Account "${account.name}" is live but ${why}`,
    ),
  ];
}

interface Excess {
  readonly pointer: string;
  readonly code: string;
  readonly what: string;
  readonly value: string;
  readonly cap: string;
}

/** Values above their cap, as located issues. */
function excesses(
  bot: ManifestDocument,
  policy: ManifestDocument,
  found: readonly (Excess | undefined)[],
): Issue[] {
  return found
    .filter((e): e is Excess => e !== undefined && dec(e.value).gt(dec(e.cap)))
    .map((e) =>
      issueAt(
        bot.parsed,
        e.pointer,
        e.code,
        `${e.what} ${e.value} exceeds Policy "${policy.name}" cap ${e.cap}`,
      ),
    );
}

/** Cap issues for a Bot under its Policy: leverage, budget × leverage, and its own risk limits. */
export function capIssues(bot: ManifestDocument, policy: ManifestDocument | undefined): Issue[] {
  if (!policy) return [];
  const caps = record(policy.spec['caps']);
  const params = bot.spec['params'];
  const leverage = decimalOf(valueAt(params, '/leverage'));
  const maxLeverage = decimalOf(caps['maxLeverage']);
  const perBot = decimalOf(caps['maxBotNotional']);
  const budgetPath = BUDGET_PATHS.find((p) => decimalOf(valueAt(params, p)) !== undefined);
  const found: (Excess | undefined)[] = [
    leverage && maxLeverage
      ? {
          pointer: '/spec/params/leverage',
          code: 'policy-leverage-cap',
          what: 'leverage',
          value: leverage,
          cap: maxLeverage,
        }
      : undefined,
    perBot && budgetPath
      ? {
          pointer: `/spec/params${budgetPath}`,
          code: 'policy-notional-cap',
          what: 'bot notional',
          value: dec(decimalOf(valueAt(params, budgetPath))!)
            .times(dec(leverage ?? '1'))
            .toFixed(),
          cap: perBot,
        }
      : undefined,
  ];
  for (const [key, limit] of Object.entries(record(bot.spec['risk']))) {
    const own = decimalOf(limit);
    const cap = decimalOf(caps[key]);
    if (own && cap)
      found.push({
        pointer: `/spec/risk/${escapePointer(key)}`,
        code: 'policy-risk-cap',
        what: `spec.risk.${key}`,
        value: own,
        cap,
      });
  }
  return excesses(bot, policy, found);
}
