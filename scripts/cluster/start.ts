/**
 * `npm run start:cluster`: the same system as `npm start`, on the production topology: the
 * pinned Temporal server (built into .cluster/ the first time) as four service processes with
 * persistence and SQL visibility in Postgres, the Temporal UI, two app worker processes and the
 * API process. SIGINT/SIGTERM stop everything in order (API, workers, UI, Temporal, Postgres); a
 * second signal kills what is left at once. Settings: README "Configuration" and docs/cluster.md.
 */
import { ConfigError } from '../../config';
import { PortInUseError } from '../../lib/ports';
import { clusterSettings, VERSIONS, type ClusterSettings } from '../../cluster/settings';
import { startTopology, ToolsMissingError, type Topology } from '../../cluster/topology';

const log = (m: string) => console.log(`[cluster] ${m}`);

function banner(s: ClusterSettings, t: Topology): string {
  const ns = s.config.TEMPORAL_NAMESPACE;
  const svc = s.ports.services;
  return [
    '',
    `Ambassador settlement is running on Temporal ${VERSIONS.TEMPORAL_SERVER_VERSION} (four services) and Postgres.`,
    `  API:          ${t.apiUrl}   (OpenAPI: /openapi.json, readiness: /readyz)`,
    `  Temporal UI:  ${s.ui ? `http://127.0.0.1:${s.ports.ui}/namespaces/${ns}/workflows` : '(off: CLUSTER_UI=false)'}`,
    `  Temporal:     ${s.frontendAddress} (frontend)  namespace ${ns}, task queue ${s.config.TEMPORAL_TASK_QUEUE}`,
    `                history :${svc.history.grpc}, matching :${svc.matching.grpc}, worker :${svc.worker.grpc}`,
    `                e.g. .venv/bin/temporal workflow list --address ${s.frontendAddress} --namespace ${ns}`,
    `  App workers:  ${s.appWorkers} processes (node --import tsx worker.ts)`,
    `  Postgres:     127.0.0.1:${s.ports.postgres}, databases settlement, temporal, temporal_visibility`,
    `  Data, logs:   ${s.dataDir}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let s: ClusterSettings;
  try {
    s = clusterSettings();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  let topology: Topology | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1 || !topology) {
      log(`${sig} again: killing what is left`);
      topology?.kill();
      process.exit(130);
    }
    log(`stopping (${sig}); a second Ctrl+C kills at once`);
    void topology.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // the terminal went away
  // Output that can no longer be written (a closed terminal or pipe) must not stop the shutdown.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  try {
    topology = await startTopology(s, { log });
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof ToolsMissingError || err instanceof ConfigError) console.error(err.message);
    else console.error(`start failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  }
  if (signals > 0) return; // a signal came while starting
  console.log(banner(s, topology));
}

void main();
