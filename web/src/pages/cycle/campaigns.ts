/** Campaigns of a direction (through their methodology's direction), for the cycle's dialogs. */
import type { Campaign } from '../../../../src/core/collection/schema.ts';
import type { MethodologySummary } from '../../methodologyTypes.ts';
import { useFetch } from '../../useFetch.ts';

export function useDirectionCampaigns(direction: string): { campaigns: Campaign[]; loading: boolean } {
  const campaigns = useFetch<{ items: Campaign[] }>('/api/campaigns');
  const methodologies = useFetch<{ items: MethodologySummary[] }>('/api/methodologies');
  const directions = new Map((methodologies.data?.items ?? []).map((m) => [`${m.id}@${m.version}`, m.direction]));
  const items = (campaigns.data?.items ?? []).filter((c) => directions.get(`${c.methodologyId}@${c.methodologyVersion}`) === direction && c.status !== 'draft');
  return { campaigns: items, loading: campaigns.loading || methodologies.loading };
}
