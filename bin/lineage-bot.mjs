#!/usr/bin/env node
// `lineage-bot …` from a clone (npx lineage-bot export …): runs the TypeScript entry point through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
