/** Which participants' values results are computed from: `submitted` (default: forms submitted or accepted),
 * `accepted` (accepted only) or `all` (every participant's current values, drafts included — a preview). One schema
 * for the API's queries, the services and the documents. */
import { z } from 'zod';

export const ResultsBasisSchema = z.enum(['submitted', 'accepted', 'all']);
export type ResultsBasis = z.infer<typeof ResultsBasisSchema>;
