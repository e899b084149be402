/** `msoko backup FILE` and `msoko restore FILE`: a logical backup of the configured database (PGlite in
 * MSOKO_DATA_DIR or the PostgreSQL server of DATABASE_URL), restorable into either engine. */
import type { Command } from 'commander';
import { dbOptionsFromEnv } from './server.ts';

const CLI_ACTOR = { userId: null, login: 'cli', ip: null };

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('сохранить резервную копию базы данных в файл (gzip, JSON по строкам; восстанавливается в PGlite и PostgreSQL)')
    .argument('<file>', 'файл резервной копии, например msoko-2022-06-30.msoko-backup.gz')
    .action(async (file: string) => {
      const { createWriteStream } = await import('node:fs');
      const { rename, rm } = await import('node:fs/promises');
      const { openDatabase } = await import('../../db/connection.ts');
      const { migrateToLatest } = await import('../../db/migrate.ts');
      const { writeBackup } = await import('../../services/admin/backup.ts');
      const h = await openDatabase(dbOptionsFromEnv());
      let failed = false;
      const partial = `${file}.partial`;
      try {
        await migrateToLatest(h.db);
        const s = await writeBackup(h.db, h.kind, createWriteStream(partial), CLI_ACTOR);
        await rename(partial, file);
        const total = Object.values(s.tables).reduce((a, b) => a + b, 0);
        console.log(`Резервная копия сохранена: ${file} — таблиц ${Object.keys(s.tables).length}, записей ${total}, схема ${s.header.migrations.at(-1) ?? '—'}.`);
      } catch (err) {
        failed = true;
        await rm(partial, { force: true });
        console.error(`Ошибка: ${(err as Error).message}`);
      } finally {
        await h.close();
      }
      if (failed) process.exitCode = 1;
    });

  program
    .command('restore')
    .description('восстановить базу данных из резервной копии (в пустую базу; всё или ничего)')
    .argument('<file>', 'файл резервной копии')
    .option('--replace', 'заменить данные непустой базы (все текущие записи будут удалены)', false)
    .action(async (file: string, o: { replace: boolean }) => {
      const { createReadStream, existsSync } = await import('node:fs');
      const { openDatabase } = await import('../../db/connection.ts');
      const { restoreBackup } = await import('../../services/admin/backup.ts');
      if (!existsSync(file)) {
        console.error(`Ошибка: файл ${file} не найден`);
        process.exitCode = 1;
        return;
      }
      const h = await openDatabase(dbOptionsFromEnv());
      let failed = false;
      try {
        const r = await restoreBackup(h.db, createReadStream(file), { replace: o.replace, actor: CLI_ACTOR, fileName: file });
        const total = Object.values(r.tables).reduce((a, b) => a + b, 0);
        console.log(`Восстановлено из ${file}: таблиц ${Object.keys(r.tables).length}, записей ${total} (копия от ${r.header.createdAt}, ${r.header.engine}).`);
        if (r.migratedAfter.length) console.log(`Схема обновлена после восстановления: ${r.migratedAfter.join(', ')}`);
      } catch (err) {
        failed = true;
        console.error(`Ошибка: ${(err as Error).message}`);
        console.error('Данные в базе не изменены.');
      } finally {
        await h.close();
      }
      if (failed) process.exitCode = 1;
    });
}
