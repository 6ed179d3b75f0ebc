#!/usr/bin/env node
// The `tower` command. Checks the Node version before loading any TypeScript (Node 24 strips types).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./require-node.cjs');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
