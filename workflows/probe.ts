/** A durable timer probe: sleeps for the given time and reports the workflow clock around it. */
import { sleep } from '@temporalio/workflow';

export async function durableTimerProbe(ms: number): Promise<{ startedAt: number; endedAt: number }> {
  const startedAt = Date.now();
  await sleep(ms);
  return { startedAt, endedAt: Date.now() };
}
