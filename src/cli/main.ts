import { Command, CommanderError } from 'commander';
import { registerServerCommands } from './commands/server.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerMethodologyCommands } from './commands/methodology.ts';
import { registerReportCommands } from './commands/report.ts';
import { registerYearlyReportCommand } from './commands/yearly-report.ts';
import { registerGenerateCommands } from './commands/generate.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerReminderCommands } from './commands/remind.ts';
import { registerCriteriaCommands } from './commands/criteria.ts';

/** Builds the `msoko` command line. Each command module registers its own commands and
 * imports its services lazily, so `msoko compute` never loads the web server. */
export function buildProgram(): Command {
  const program = new Command('msoko')
    .description('МСОКО — муниципальная система оценки качества образования')
    .version('0.1.0', '-V, --version', 'показать версию')
    .helpOption('-h, --help', 'показать справку')
    .helpCommand('help [command]', 'справка по команде')
    .showHelpAfterError('(подробнее: msoko --help)')
    .enablePositionalOptions(); // `msoko -V` before the command; `criteria import --version` is the methodology's
  registerServerCommands(program);
  registerUserCommands(program);
  registerMethodologyCommands(program);
  registerReportCommands(program);
  registerYearlyReportCommand(program);
  registerGenerateCommands(program);
  registerBackupCommands(program);
  registerReminderCommands(program);
  registerCriteriaCommands(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
