/**
 * Change classes of changed fields. Params classes come from the schemas' `x-change` annotations
 * (generated into `@tradingtower/schemas`), refined by direction where a field declares it
 * (`investment` up → funds, down → recreate); an unknown path is `recreate`, the safe answer.
 */
import { classifyChange, type StrategyKind } from '@tradingtower/schemas';
import { CHANGE_CLASSES, type ChangeClass } from './types.ts';

/** Classifies a changed params field (dotted path relative to params). */
export type ChangeClassifier = (strategy: string, path: string, from: unknown, to: unknown) => ChangeClass;

/** The classifier of the project's schemas. */
export const schemaClassifier: ChangeClassifier = (strategy, path, from, to) =>
  classifyChange(strategy as StrategyKind, path, from, to);

/** The highest of some classes (`hot` for none). */
export function highest(classes: readonly ChangeClass[]): ChangeClass {
  let top = 0;
  for (const c of classes) top = Math.max(top, CHANGE_CLASSES.indexOf(c));
  return CHANGE_CLASSES[top]!;
}
