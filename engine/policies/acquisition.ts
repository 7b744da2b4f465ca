/**
 * Acquisition (lever `policies.acquisition`): newcomers bought through ads and PR, and referral
 * incentives. Seeds: growth, but a group is not yet a community. Bought arrivals have diminishing
 * returns, saturation x (1 - exp(-adsPerDay / saturation)) a day, and come less aligned with the
 * community's values (engine/agents/traits.ts); an incentive multiplies the referral rate of
 * satisfied members by (1 + referralIncentive) (`climate.referralMultiplier`, read by
 * engine/agents/visits.ts), and referred newcomers
 * are better aligned. Running the campaign and onboarding its arrivals take manager time, and so
 * does handing out referral rewards.
 */
import { admit } from '../agents/arrivals.js';
import { Channel } from '../agents/members.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import type { Policy } from './policy.js';
import { exp } from '../numeric.js';

/** Expected bought newcomers a day for `ads` a day (diminishing returns). */
export function boughtPerDay(ads: number, saturation: number): number {
  return saturation * (1 - exp(-ads / saturation));
}

type Params = World['scenario']['policies']['acquisition'];

export function acquisition(): Policy {
  // the block of the scenario, read once a day (schedules and live changes apply from the next)
  let p: Params;
  return {
    name: 'acquisition',
    startOfDay(w: World) {
      p = w.scenario.policies.acquisition;
      w.climate.referralMultiplier = 1 + p.referralIncentive;
      if (p.adsPerDay > 0) w.manager.spend(p.campaignHours, Activity.Acquisition);
    },
    arrive(w: World, rng: Stream, cdf: Float64Array) {
      if (p.adsPerDay > 0) admit(w, rng, rng.poisson(boughtPerDay(p.adsPerDay, p.adsSaturation)), Channel.Ads, -1, -1, cdf);
    },
    endOfDay(w: World) {
      if (p.referralIncentive > 0 && w.today.referrals > 0) w.manager.spend((w.today.referrals * p.rewardMinutes) / 60, Activity.Acquisition);
    },
  };
}
