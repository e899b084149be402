/** Who may do what with surveys in the interface (the server's policy enforces the same). */
import type { Role } from '../../types.ts';

export const canManageSurveys = (r: Role): boolean => r === 'admin' || r === 'analyst';
