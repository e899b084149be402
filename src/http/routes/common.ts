import { z } from 'zod';

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** Documents error responses in OpenAPI. */
export function errorResponses(...codes: number[]): Record<number, typeof errorBodySchema> {
  return Object.fromEntries(codes.map((c) => [c, errorBodySchema]));
}

export const idParamsSchema = z.strictObject({ id: z.string().min(1) });
