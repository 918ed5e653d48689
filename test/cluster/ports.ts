/** Free ports for a topology started by a test or bench: the OS picks them, checked as a block. */
import { portIsFree } from '../../lib/ports';
import { freePort } from '../harness/ports';

/** API, Postgres and UI ports, and a frontend port whose +1 to +26 neighbours are free too. */
export async function freeTopologyPorts(): Promise<{ API_PORT: string; PG_PORT: string; TEMPORAL_UI_PORT: string; TEMPORAL_PORT: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below the usual ephemeral range, and within what Temporal's membership table holds (smallint).
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const block = Array.from({ length: 27 }, (_, i) => base + i);
    if ((await Promise.all(block.map((p) => portIsFree(p)))).every(Boolean)) {
      const outside = async () => {
        for (;;) {
          const p = await freePort();
          if (p < base || p > base + 26) return String(p);
        }
      };
      return { API_PORT: await outside(), PG_PORT: await outside(), TEMPORAL_UI_PORT: await outside(), TEMPORAL_PORT: String(base) };
    }
  }
  throw new Error('no block of 27 free ports found');
}
