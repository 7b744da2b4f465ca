/**
 * Every lever a preset turns on acts in that preset (issue 11 item 10): over the preset's year it
 * books manager hours to its activity and the levers with a visible act show it (events held,
 * contests started, experts appointed), and over its first 120 days the run differs from the
 * same preset with that lever off. A lever that could never act in a preset (the offline presets' events,
 * which needed three hours in one day) fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, withPath, type DailyMetric, type Scenario, type Simulation } from '../../engine/index.js';

const DIR = join(import.meta.dirname, '../../scenarios');
const NAMES = [
  'unmoderated-forum', 'moderated-forum', 'brand-community', 'gamedev-community', 'residential-neighbours',
  'professional-meetup', 'founder-led-startup', 'festival-overload', 'silent-manager',
];
/** Days of the runs with a lever off (each preset is also run whole, once). */
const DAYS = 120;

interface Lever {
  name: string;
  on: (s: Scenario) => boolean;
  /** Path and value that switch the lever off. */
  off: [string, unknown];
  hours: DailyMetric;
  /** What the lever visibly does, when it has a visible act. */
  shows?: (sim: Simulation) => boolean;
}

const logged = (sim: Simulation, text: string) => sim.events().some((e) => e.text.includes(text));

const LEVERS: Lever[] = [
  { name: 'rubrics', on: (s) => s.policies.rubrics.perWeek > 0, off: ['policies.rubrics.perWeek', 0], hours: 'hoursRubrics' },
  { name: 'expert invites', on: (s) => s.policies.experts.invitesPerMonth > 0, off: ['policies.experts.invitesPerMonth', 0], hours: 'hoursExperts', shows: (sim) => sim.view(1e9).members.some((m) => m.expert) },
  { name: 'moderation', on: (s) => s.policies.moderation.strictness > 0, off: ['policies.moderation.strictness', 0], hours: 'hoursModeration' },
  { name: 'answering', on: (s) => s.policies.response.targetHours !== null, off: ['policies.response.targetHours', null], hours: 'hoursAnswering', shows: (sim) => sim.column('answered').some((v) => v > 0) },
  { name: 'welcoming', on: (s) => s.policies.response.welcomeNewcomers, off: ['policies.response.welcomeNewcomers', false], hours: 'hoursWelcoming' },
  { name: 'contests', on: (s) => s.policies.contests.perMonth > 0, off: ['policies.contests.perMonth', 0], hours: 'hoursContests', shows: (sim) => logged(sim, 'a contest starts') },
  { name: 'events', on: (s) => s.policies.events.perMonth > 0, off: ['policies.events.perMonth', 0], hours: 'hoursEvents', shows: (sim) => logged(sim, ' event: ') },
  { name: 'leader', on: (s) => s.policies.leader.personalShare > 0, off: ['policies.leader.personalShare', 0], hours: 'hoursLeader' },
  { name: 'ads', on: (s) => s.policies.acquisition.adsPerDay > 0, off: ['policies.acquisition.adsPerDay', 0], hours: 'hoursAcquisition' },
  { name: 'referral incentive', on: (s) => s.policies.acquisition.referralIncentive > 0, off: ['policies.acquisition.referralIncentive', 0], hours: 'hoursAcquisition' },
  { name: 'values', on: (s) => s.policies.values.clarity > 0, off: ['policies.values.clarity', 0], hours: 'hoursValues' },
];

const run = (s: Scenario) => {
  const sim = createSimulation(s, { seed: 1 });
  sim.run();
  return sim;
};
const total = (sim: Simulation, name: DailyMetric) => sim.column(name).reduce((a, v) => a + v, 0);

describe.each(NAMES)('%s: every lever it turns on acts', (name) => {
  const whole = parseScenario(JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')));
  const preset = withPath(whole, 'days', DAYS);
  const levers = LEVERS.filter((l) => l.on(preset));
  const sim = run(whole);
  const short = run(preset);

  it('turns on at least one lever', () => {
    expect(levers.length).toBeGreaterThan(0);
  });

  it.each(levers.map((l) => [l.name, l] as const))('%s', (_, lever) => {
    expect(total(sim, lever.hours), `${lever.hours} over ${whole.days} days`).toBeGreaterThan(0);
    if (lever.shows) expect(lever.shows(sim), 'its visible act').toBe(true);
    const without = run(withPath(preset, lever.off[0], lever.off[1]));
    expect(without.series(), `the first ${DAYS} days with the lever off`).not.toEqual(short.series());
  });
});
