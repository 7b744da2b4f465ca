/**
 * Scheduled shocks (MODEL.md "Shocks a scenario can schedule"). Filled in by the policies work;
 * for now a no-op so the tick has its hook.
 */
import type { World } from './world.js';

export function applyShocks(w: World, cdf: Float64Array): void {
  void w;
  void cdf;
}
