/** Links to a workflow in the Temporal Web UI (where the API says the UI is; none for an external Temporal). */
import { useTranslation } from 'react-i18next';
import { opsApi } from '../api/client';

export function WorkflowLink({ workflowId, runId }: { workflowId: string; runId?: string | null }) {
  const { t } = useTranslation();
  const s = opsApi.query.useQuery('get', '/v1/ops/console-settings', {}, { staleTime: Infinity });
  const base = s.data?.temporalUiUrl;
  if (!base || !s.data) return <code>{workflowId}</code>;
  const href = `${base}/namespaces/${encodeURIComponent(s.data.namespace)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}/history` : ''}`;
  return (
    <a href={href} target="_blank" rel="noreferrer" aria-label={t('ops.openInTemporal', { id: workflowId })}>
      <code>{workflowId}</code>
    </a>
  );
}
