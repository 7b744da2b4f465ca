// `community-sim run` is never silent for long: its estimate first when the run is long, then a
// bar on a terminal or a line every few seconds when stderr is piped (a 30-day run of a million
// members said nothing for minutes when piped).
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, runCost } from '../../engine/index.js';
import { runWithProgress } from '../../cli/run-command.js';
import { piped } from './piped.js';

const s = parseScenario({ days: 6, population: { initialMembers: 30, burnInDays: 0, organicPerDay: 5 }, shocks: [{ type: 'viral-spike', day: 2, newcomers: 40 }] });

describe('run progress on stderr', () => {
  it('states the estimate first, then a line a report interval, when piped', () => {
    const { lines, stream } = piped();
    const result = runWithProgress(createSimulation(s), runCost(s), { stream, announceSeconds: 0, everyMs: 0 });
    expect(lines[0]).toMatch(/^estimate: up to 100 members by day 6 \(30 at the start, 40 from shocks\[0\]\.newcomers, 30 from population\.organicPerDay within population\.audience\), about 1 MB of memory and under a second at full speed\n$/);
    expect(lines.slice(1)).toHaveLength(6);
    expect(lines[6]).toMatch(new RegExp(`^day 6/6: ${result.series.at(-1)!.members} members, under a second so far, under a second left\\n$`));
  });

  it('says nothing for a short run', () => {
    const { lines, stream } = piped();
    runWithProgress(createSimulation(s), runCost(s), { stream });
    expect(lines).toEqual([]);
  });
});
