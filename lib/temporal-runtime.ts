/**
 * The Temporal Core runtime of a process, installed once before any connection: its logger, the
 * signals it handles, and (when a port is given) its Prometheus exporter on 127.0.0.1, which the
 * process's /metrics appends to its own (services/metrics). npm start, worker.ts and the test
 * harness install it through here, so the setting is one.
 */
import net from 'node:net';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export interface RuntimeInstall {
  logLevel: LogLevel;
  /** The Core runtime's Prometheus exporter listens on 127.0.0.1:<port>; absent: no Core metrics. */
  metricsPort?: number | undefined;
  /** Signals the SDK handles itself (default: its own); [] when the caller stops workers in order. */
  shutdownSignals?: NodeJS.Signals[];
}

export function installRuntime(opts: RuntimeInstall): void {
  Runtime.install({
    logger: new DefaultLogger(opts.logLevel),
    ...(opts.shutdownSignals ? { shutdownSignals: opts.shutdownSignals } : {}),
    ...(opts.metricsPort ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${opts.metricsPort}` } } } } : {}),
  });
}

/** A port the system hands out now (for a listener only this process needs to know). */
export function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
