/** Who may do what with campaigns in the interface (the server's policy enforces the same). */
import type { Role } from '../../types.ts';

export const canManageCampaigns = (r: Role): boolean => r === 'admin' || r === 'analyst';
export const canReviewSubmissions = canManageCampaigns;
