/** Writes docs/methodology.schema.json from the zod schema: `npx tsx scripts/methodology-schema.ts`. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { methodologyJsonSchema } from '../src/core/methodology/schema.ts';

const out = fileURLToPath(new URL('../docs/methodology.schema.json', import.meta.url));
await writeFile(out, `${JSON.stringify(methodologyJsonSchema(), null, 2)}\n`);
process.stdout.write(`записано: ${out}\n`);
