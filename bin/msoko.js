#!/usr/bin/env node
// Entry point of the msoko command line. TypeScript sources run through tsx's loader,
// so there is no separate build step for the server or the CLI.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const { run } = await import(main);
await run(process.argv);
