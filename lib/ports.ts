/** Port checks that fail with a clear message naming the setting, not a stack trace. */
import net from 'node:net';

export class PortInUseError extends Error {}

export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function assertPortsFree(ports: { port: number; setting: string; host?: string }[]): Promise<void> {
  const taken: string[] = [];
  for (const p of ports) {
    if (!(await portIsFree(p.port, p.host))) taken.push(`port ${p.port} (${p.setting}) is already in use; set ${p.setting} to a free port`);
  }
  if (taken.length) throw new PortInUseError(taken.join('\n'));
}

/** Resolves once a TCP connect to host:port succeeds, or rejects after timeoutMs. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
