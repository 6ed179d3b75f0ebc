/** The planner: pure diff of current bots against a desired state, and its text, markdown and JSON forms. */
export type { BlockReason, BotAction, BotPlan, ChangeClass, CurrentBot, FieldChange, Plan } from './types.ts';
export { CHANGE_CLASSES } from './types.ts';
export { hasChanges, planChanges, type PlanOptions, type PruneSettings } from './plan.ts';
export { highest, schemaClassifier, type ChangeClassifier } from './change-classes.ts';
export { renderText } from './render-text.ts';
export { GITHUB_COMMENT_LIMIT, PLAN_COMMENT_MARKER, renderMarkdown } from './render-markdown.ts';
export { summarize, summaryLine } from './summary.ts';
