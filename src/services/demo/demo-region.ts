/** The demo's region (issue 24): the demo municipality and one small synthetic municipality in one region, with the
 * regional analyst `region`, so the «Регион» page shows a comparison on the first start. The second municipality is
 * made by the region generator (`msoko generate`, marked synthetic in its name); the demo municipality joins its
 * region. Idempotent: nothing is done when the demo municipality already belongs to a region. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAudit } from '../admin/audit.ts';
import { SYSTEM_ACTOR } from '../errors.ts';
import { generateRegion } from '../region/region-generate.ts';

export const DEMO_REGION_NAME = 'Демо-регион: Ишимбайский район и синтетический муниципалитет';
/** The second municipality: a dozen organisations, the last two academic years, a fixed seed. */
export const DEMO_REGION_SPEC = { municipalities: 1, organisations: 12, years: 2, seed: 2022, lastYear: 2021 } as const;

export async function seedDemoRegion(db: Kysely<Database>, municipalityId: string, password: string): Promise<{ regionId: string; created: boolean }> {
  const mun = await db.selectFrom('municipalities').select(['region_id']).where('id', '=', municipalityId).executeTakeFirstOrThrow();
  if (mun.region_id) return { regionId: mun.region_id, created: false };
  const generated = await generateRegion(db, SYSTEM_ACTOR, { ...DEMO_REGION_SPEC, password });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('regions').set({ name: DEMO_REGION_NAME }).where('id', '=', generated.regionId).execute();
    await trx.updateTable('municipalities').set({ region_id: generated.regionId }).where('id', '=', municipalityId).execute();
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'region.demo', targetType: 'region', targetId: generated.regionId,
      details: { name: DEMO_REGION_NAME, municipality: municipalityId, generated: generated.regionName, organisations: generated.organisations },
    });
  });
  return { regionId: generated.regionId, created: true };
}
