import type { Command } from 'commander';
export function registerServerCommands(_program: Command): void {}
