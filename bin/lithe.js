#!/usr/bin/env node
// The `lithe` command: runs the CLI from the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
