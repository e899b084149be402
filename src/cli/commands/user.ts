/** `msoko user add`: creates a user through the same service as the web app. The password comes from --password,
 * the MSOKO_PASSWORD environment variable, or an interactive prompt (hidden input). */
import type { Command } from 'commander';
import { dbOptionsFromEnv } from './server.ts';

interface AddOptions {
  login: string;
  role: string;
  name: string;
  organisation?: string;
  password?: string;
}

async function promptPassword(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  if (!process.stdin.isTTY) throw new Error('Пароль не задан: укажите --password или переменную MSOKO_PASSWORD');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let muted = false;
  out._writeToOutput = (s: string) => {
    if (!muted || s.includes(question)) out.output.write(s);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('пользователи системы');
  user
    .command('add')
    .description('добавить пользователя')
    .requiredOption('--login <login>', 'логин (латиница, цифры, . _ -)')
    .requiredOption('--role <role>', 'роль: admin, analyst, working_group, org_rep')
    .requiredOption('--name <name>', 'ФИО')
    .option('--organisation <no|id>', 'организация (номер в реестре или id); обязательно для org_rep')
    .option('--password <password>', 'пароль (иначе MSOKO_PASSWORD или запрос с клавиатуры)')
    .action(async (o: AddOptions) => {
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { createUser } = await import('../../services/admin/users.ts');
      const { findOrganisationByNoOrId } = await import('../../services/registry/registry.ts');
      const { ServiceError } = await import('../../services/errors.ts');
      const { ROLE_LABELS, roleSchema } = await import('../../core/registry/schema.ts');
      if (!roleSchema.safeParse(o.role).success) {
        console.error(`Ошибка: неизвестная роль «${o.role}»`);
        console.error(`  role: Допустимые значения: ${roleSchema.options.join(', ')}`);
        process.exitCode = 1;
        return;
      }
      const h = await openDatabase(dbOptionsFromEnv());
      let failed = false;
      try {
        await migrateToLatest(h.db);
        const organisation = o.organisation ? await findOrganisationByNoOrId(h.db, o.organisation) : null;
        const password = o.password ?? process.env.MSOKO_PASSWORD ?? (await promptPassword('Пароль: '));
        const created = await createUser(
          h.db,
          { userId: null, login: process.env.USER ? `cli:${process.env.USER}` : 'cli', ip: null },
          { login: o.login, fullName: o.name, role: o.role, password, organisationId: organisation?.id ?? null },
        );
        const role = ROLE_LABELS[created.role];
        console.log(`Пользователь ${created.login} добавлен: ${created.fullName}, ${role}${organisation ? `, ${organisation.shortName}` : ''}.`);
      } catch (err) {
        if (err instanceof ServiceError) {
          console.error(`Ошибка: ${err.message}`);
          for (const f of err.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
          failed = true;
        } else {
          throw err;
        }
      } finally {
        await h.close();
      }
      // Set after closing: PGlite's runtime resets process.exitCode when it shuts down.
      if (failed) process.exitCode = 1;
    });
}
