import fs from 'node:fs';
import { portIsFree } from '../../lib/ports';

/**
 * The lowest port the OS hands out to outgoing connections. A port taken from that range can be
 * given to some client socket (the test's own connections to Postgres and Temporal) between the
 * moment it is found free and the moment a server binds it; ports below it are never given out so.
 */
function ephemeralLow(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** A port nobody listens on right now, below the OS's range for outgoing connections. */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  const low = 10_000;
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port found between ${low} and ${high}`);
}
