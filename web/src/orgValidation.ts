/** Client-side checks of the registry forms by the server's own zod schemas (src/core/registry), with the same
 * Russian messages, so the form shows under each field what the server would say. */
import type { z } from 'zod';
import {
  issuesToFields,
  organisationCloseSchema,
  organisationCreateSchema,
  organisationUpdateSchema,
  ruErrorMap,
  type OrganisationCreate,
} from '../../src/core/registry/index.ts';

export type OrganisationDraft = OrganisationCreate;

/** Field errors keyed by the first path segment; empty when the value passes. */
export function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const r = schema.safeParse(value, { error: ruErrorMap });
  const map: Record<string, string> = {};
  if (r.success) return map;
  for (const f of issuesToFields(r.error.issues)) {
    const key = f.path.split('.')[0] ?? '';
    if (!(key in map)) map[key] = f.message;
  }
  return map;
}

export function validateOrganisation(d: OrganisationDraft, editing: boolean): Record<string, string> {
  return fieldErrors(editing ? organisationUpdateSchema : organisationCreateSchema, d);
}

export function validateClose(value: { closedAt: string | null; reason: string }): Record<string, string> {
  return fieldErrors(organisationCloseSchema, value);
}
