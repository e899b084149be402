/** Who may do what with campaigns in the interface (the server's policy enforces the same). */
import type { Role } from '../../types.ts';

export const canManageCampaigns = (r: Role): boolean => r === 'admin' || r === 'analyst';
export const canReviewSubmissions = canManageCampaigns;

/** Analysis and reports of a campaign: results of every organisation (not for organisation representatives). */
export const canViewAnalysis = (r: Role): boolean => r === 'admin' || r === 'analyst' || r === 'working_group';
