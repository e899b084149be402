/** Zod schemas of the registry (organisations, users) and of authentication payloads: one definition for the API
 * contract, the server's validation, the OpenAPI document and the web forms. Free of Node imports — the web app
 * imports this module as is. Pair with `ruErrorMap` from ./errors-ru.ts for Russian messages. */
import { z } from 'zod';

export const ORGANISATION_TYPES = ['school', 'preschool', 'supplementary'] as const;
export const ORGANISATION_STATUSES = ['active', 'closed'] as const;
export const ROLES = ['admin', 'analyst', 'working_group', 'org_rep', 'regional_analyst'] as const;

export const organisationTypeSchema = z.enum(ORGANISATION_TYPES);
export const organisationStatusSchema = z.enum(ORGANISATION_STATUSES);
export const roleSchema = z.enum(ROLES);

export type OrganisationType = z.infer<typeof organisationTypeSchema>;
export type OrganisationStatus = z.infer<typeof organisationStatusSchema>;
export type Role = z.infer<typeof roleSchema>;

export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  school: 'Общеобразовательная организация',
  preschool: 'Дошкольная образовательная организация',
  supplementary: 'Организация дополнительного образования',
};
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Администратор',
  analyst: 'Аналитик/методист',
  working_group: 'Член рабочей группы',
  org_rep: 'Представитель ОО',
  regional_analyst: 'Региональный аналитик',
};

/** Calendar date `YYYY-MM-DD` that exists in the calendar. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Дата в формате ГГГГ-ММ-ДД' })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, { error: 'Такой даты нет в календаре' });

/** ИНН: 10 digits (organisation) or 12 (individual). Checksums are not verified: registries in the field contain
 * typos we still want to import; the format is what the database guarantees. */
export const innSchema = z.string().trim().regex(/^(\d{10}|\d{12})$/, { error: 'ИНН должен содержать 10 или 12 цифр' });

const name = (max: number) => z.string().trim().min(1).max(max);

/** The school's login in ФИС ОКО («sch510203»): «sch» and digits (the service stores it in lower case). The reports name a school as
 * «(sch510203) МБОУ …»; imports of ФИС ОКО reports match by it first (issue 22). Unique within a municipality. */
export const fisokoLoginSchema = z
  .string()
  .trim()
  .regex(/^sch\d{3,10}$/i, { error: 'Логин ФИС ОКО: «sch» и цифры, например sch510203' });

export const organisationSchema = z.object({
  id: z.string(),
  no: z.number().int(),
  shortName: z.string(),
  fullName: z.string(),
  type: organisationTypeSchema,
  inn: z.string().nullable(),
  /** «Логин ФИС ОКО»; null when not set. */
  fisokoLogin: z.string().nullable(),
  growthPoint: z.boolean(),
  status: organisationStatusSchema,
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const organisationCreateSchema = z.strictObject({
  no: z.number().int().positive().optional(),
  shortName: name(200),
  fullName: name(1000),
  type: organisationTypeSchema,
  inn: innSchema.nullable().optional(),
  fisokoLogin: fisokoLoginSchema.nullable().optional(),
  growthPoint: z.boolean().optional(),
  openedAt: isoDateSchema.nullable().optional(),
});
export type OrganisationCreate = z.infer<typeof organisationCreateSchema>;

export const organisationUpdateSchema = z.strictObject({
  no: z.number().int().positive().optional(),
  shortName: name(200).optional(),
  fullName: name(1000).optional(),
  type: organisationTypeSchema.optional(),
  inn: innSchema.nullable().optional(),
  fisokoLogin: fisokoLoginSchema.nullable().optional(),
  growthPoint: z.boolean().optional(),
  openedAt: isoDateSchema.nullable().optional(),
});
export type OrganisationUpdate = z.infer<typeof organisationUpdateSchema>;

export const organisationCloseSchema = z.strictObject({
  closedAt: isoDateSchema,
  reason: name(1000),
});
export type OrganisationClose = z.infer<typeof organisationCloseSchema>;

export const organisationListQuerySchema = z.strictObject({
  status: z.enum(['active', 'closed', 'all']).default('active'),
  type: organisationTypeSchema.optional(),
  q: z.string().trim().max(200).optional(),
});
export type OrganisationListQuery = z.infer<typeof organisationListQuerySchema>;

export const loginSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, { error: 'Логин: латинские буквы, цифры, точка, дефис, подчёркивание' });

export const userCreateSchema = z
  .strictObject({
    login: loginSchema,
    fullName: name(300),
    role: roleSchema,
    organisationId: z.string().uuid().nullable().optional(),
    password: z.string().min(8, { error: 'Пароль не короче 8 символов' }).max(200),
  })
  .refine((u) => u.role !== 'org_rep' || !!u.organisationId, {
    error: 'Для представителя ОО укажите организацию',
    path: ['organisationId'],
  })
  .refine((u) => u.role !== 'regional_analyst' || !u.organisationId, {
    error: 'Региональный аналитик не привязан к организации',
    path: ['organisationId'],
  });
export type UserCreate = z.infer<typeof userCreateSchema>;

export const sessionUserSchema = z.object({
  id: z.string(),
  login: z.string(),
  fullName: z.string(),
  role: roleSchema,
  organisationId: z.string().nullable(),
  organisationName: z.string().nullable(),
  /** The municipality a municipal user works in (every list is scoped to it); null for a regional analyst. */
  municipalityId: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const loginRequestSchema = z.strictObject({
  login: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;
