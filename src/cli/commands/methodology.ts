import type { Command } from 'commander';
export function registerMethodologyCommands(program: Command): void {
  program.command('lint <methodology>').description('проверить методику').action(() => { console.log('x'); });
}
