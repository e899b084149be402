/** Who may work with the department's documents in the interface (src/http/policy.ts enforces the same): requisites,
 * templates, the register and issuing — the municipality's analysts and administrators. */
import type { Role } from '../../types.ts';

export const canManageDocuments = (r: Role): boolean => r === 'admin' || r === 'analyst';
