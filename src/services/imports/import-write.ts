/** The INSERT statements of an import job (import-apply.ts): a chunk of the plan (import-plan.ts) as one
 * `INSERT … SELECT … FROM unnest(…)`, returning the ids the chunk got. */
import { sql } from 'kysely';
import type { IdRange } from '../../core/imports/id-gaps.ts';
import type { Actor } from '../errors.ts';
import type { Planned } from './import-plan.ts';

/** Values a `value_history` chunk holds: about 0.1 s on PGlite, short enough that other users barely notice it. */
export const CHUNK = 10_000;
/** Rows a `value_rows` chunk holds (a row is a school × report, 10–13 values in ФИС ОКО reports): the cost is per
 * row — index entries, the row's jsonb — more than per value; 2 000 rows take about 0.1 s on PGlite. */
export const ROWS_CHUNK = 2_000;

/** Where the chunks of the plan's `value_rows` part end: at most `ROWS_CHUNK` rows each. */
export function rowChunks(rows: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let i = 0; i < rows; i += ROWS_CHUNK) out.push({ from: i, to: Math.min(rows, i + ROWS_CHUNK) });
  return out;
}

/** Values `i`…`j` of the plan's per-value rows into `value_history`, returning the ids they got. */
export function historyInsert(jobId: string, campaignId: string, p: Planned, i: number, j: number, actor: Actor) {
  return sql<IdRange>`
    with written as (
      insert into value_history (campaign_id, organisation_id, input, value, evidence_url, dimensions, source, source_ref, actor_user_id, actor_login, import_job_id)
      select ${campaignId}::uuid, o, n, v, e, d, 'import', r, ${actor.userId}::uuid, ${actor.login}, ${jobId}::uuid
      from unnest(${unpack(p.org.slice(i, j), 'uuid')}, ${unpack(p.input.slice(i, j), 'text')}, ${unpack(p.value.slice(i, j), 'jsonb')}, ${unpack(p.evidence.slice(i, j), 'text')}, ${unpack(p.dims.slice(i, j), 'jsonb')}, ${unpack(p.ref.slice(i, j), 'text')}) as t(o, n, v, e, d, r)
      returning id)
    select min(id)::bigint as lo, max(id)::bigint as hi, count(*)::int as n from written`;
}

/** Distinct items in first-seen order, and each item's 1-based position among them (as text, for `unpack`). */
function indexed(items: readonly string[]): { distinct: string[]; at: string[] } {
  const pos = new Map<string, string>();
  const distinct: string[] = [];
  const at = items.map((x) => {
    let k = pos.get(x);
    if (k === undefined) {
      distinct.push(x);
      pos.set(x, (k = String(distinct.length)));
    }
    return k;
  });
  return { distinct, at };
}

const LINE = ', строка ';
/** References «файл, лист «…», строка 12» as a prefix shared by the rows of one table (sent once) and the rest; a
 * reference without «, строка » (or with nothing before or after it) is all prefix, the rest null. Joined back in SQL, `prefix || ', строка ' || rest`,
 * exactly the text given. */
function splitRefs(refs: readonly string[]): { prefix: string[]; rest: (string | null)[] } {
  const prefix: string[] = [];
  const rest: (string | null)[] = [];
  for (const r of refs) {
    const at = r.lastIndexOf(LINE);
    // Neither part empty: an empty text alone in a list would read back as no item (`string_to_array('', …)`).
    const split = at > 0 && at + LINE.length < r.length;
    prefix.push(split ? r.slice(0, at) : r);
    rest.push(split ? r.slice(at + LINE.length) : null);
  }
  return { prefix, rest };
}

/** Rows `i`…`j` of the plan's per-dimension rows into `value_rows` (a row per organisation × dimension values). The
 * organisations, the dimension values and the references' prefixes repeat from row to row: each is sent once per
 * chunk and the rows carry its position — about a quarter fewer characters to pass, which PGlite serialises in JavaScript. */
export function rowsInsert(jobId: string, campaignId: string, p: Planned, i: number, j: number, actor: Actor) {
  const r = p.rows;
  const orgs = indexed(r.org.slice(i, j));
  const dims = indexed(r.dims.slice(i, j));
  const refs = splitRefs(r.ref.slice(i, j));
  const prefixes = indexed(refs.prefix);
  return sql<IdRange>`
    with written as (
      insert into value_rows (campaign_id, organisation_id, dimensions, "values", source, source_ref, actor_user_id, actor_login, import_job_id)
      select ${campaignId}::uuid, (${unpack(orgs.distinct, 'uuid')})[o], (${unpack(dims.distinct, 'jsonb')})[d], v, 'import',
        coalesce((${unpack(prefixes.distinct, 'text')})[rp] || ${LINE} || rl, (${unpack(prefixes.distinct, 'text')})[rp]),
        ${actor.userId}::uuid, ${actor.login}, ${jobId}::uuid
      from unnest(${unpack(orgs.at, 'int')}, ${unpack(dims.at, 'int')}, ${unpack(r.values.slice(i, j), 'jsonb')}, ${unpack(prefixes.at, 'int')}, ${unpack(refs.rest, 'text')}) as t(o, d, v, rp, rl)
      returning id)
    select min(id)::bigint as lo, max(id)::bigint as hi, count(*)::int as n from written`;
}

/** A list as one text parameter for `string_to_array(…, chr(31), chr(30))`: PGlite serialises array parameters
 * element by element in JavaScript (a chunk's five arrays cost more than inserting them), one string
 * natively. Unit separator between items, record separator for null; control characters never occur in the items
 * (uuids, input names, JSON text — JSON escapes them — and references whose control characters are replaced). */
const SEP = '\u001f';
const NULL_ITEM = '\u001e';
function packed(items: readonly (string | null)[]): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  return items.map((x) => (x === null ? NULL_ITEM : x.replace(/[\u0000-\u001f]/g, ' '))).join(SEP);
}
export const unpack = (items: readonly (string | null)[], type: 'uuid' | 'text' | 'jsonb' | 'int') => sql`string_to_array(${packed(items)}, chr(31), chr(30))::${sql.raw(type)}[]`;
