/**
 * The seeds' business yardsticks (MODEL.md "Business yardsticks"): which members are the brand's
 * customers, satisfied members converting into customers, satisfied customers recommending the
 * brand, and a member survey whose answers give the NPS a manager would measure.
 *
 * A member is a customer at join with chance `business.customerShare` (`joinAsCustomer`); each
 * day a satisfied member who is not yet one and visited may convert, more so with identity
 * (`trade`). Recommendations are of the brand to people outside: they are counted, not turned
 * into newcomers, because word of mouth that brings friends into the community is the referral
 * mechanism (engine/agents/visits.ts, behaviour.referrals) and counting it twice would double
 * the growth it explains.
 *
 * The survey (`survey`) asks every member on the rolls; who answers depends on satisfaction and
 * on having visited lately (`surveys.satisfactionBias`, `surveys.lapsedResponse`), so the
 * measured NPS is that of the respondents. It draws from its own stream and changes nothing in
 * the world, so surveying does not move any other number of a run.
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';

/** Days without a visit after which a member counts as inactive (spend uplift, survey response): the monthly-active window. */
const ACTIVE_DAYS = 30;

/** Whether a member joining now is already a customer (drawn from `rng`, the business stream). */
export function joinAsCustomer(w: World, rng: Stream): number {
  return rng.next() < w.scenario.business.customerShare ? 1 : 0;
}

/**
 * Conversions and recommendations of the day (after satisfaction and stages are updated, before
 * churn): writes `today.conversions` and `today.recommendations`.
 */
export function trade(w: World, rng: Stream): void {
  const m = w.members;
  const { conversion, satisfiedAbove, identityWeight, recommendShare, recommendPerMonth } = w.scenario.business;
  const recommendChance = Math.min(1, (recommendShare * recommendPerMonth) / 30);
  const span = 1 - satisfiedAbove;
  const { present, lapsed, visited, satisfaction, identity, customer, roster } = m;
  let conversions = 0, recommendations = 0;
  for (let k = 0; k < m.rosterSize; k++) {
    const i = roster[k];
    if (!present[i] || lapsed[i]) continue;
    const s = satisfaction[i];
    if (s <= satisfiedAbove) continue;
    if (customer[i]) {
      // a recommendation happens anywhere (offline too), not only on a visit
      recommendations += rng.next() < recommendChance ? 1 : 0;
    } else if (visited[i] && rng.next() < conversion * ((s - satisfiedAbove) / span) * (1 + identityWeight * identity[i])) {
      customer[i] = 1;
      conversions++;
    }
  }
  w.today.conversions = conversions;
  w.today.recommendations = recommendations;
}

/** Whether day `day` (from 1) has a survey: `perMonth` surveys spread evenly over 30 days. */
export function surveyDay(day: number, perMonth: number): boolean {
  return perMonth > 0 && day >= 1 && Math.floor((day * perMonth) / 30) > Math.floor(((day - 1) * perMonth) / 30);
}

/**
 * A member survey on a survey day: every member on the rolls may answer; each respondent's 0-10
 * score is drawn from their satisfaction. Adds the respondents, promoters (9-10) and detractors
 * (0-6) to `today` and to the run's lifetime tallies.
 */
export function survey(w: World, rng: Stream): void {
  const sv = w.scenario.surveys;
  if (!surveyDay(w.day, sv.perMonth)) return;
  const m = w.members;
  const { responseRate, satisfactionBias, lapsedResponse, scoreAt0, scoreAt1, scoreNoise } = sv;
  const { present, lastVisit, satisfaction, roster } = m;
  const day = w.day;
  let responses = 0, promoters = 0, detractors = 0;
  for (let k = 0; k < m.rosterSize; k++) {
    const i = roster[k];
    if (!present[i]) continue;
    const s = satisfaction[i];
    const away = day - lastVisit[i] >= ACTIVE_DAYS ? lapsedResponse : 1;
    const answer = responseRate * (1 - satisfactionBias + 2 * satisfactionBias * s) * away;
    if (rng.next() >= answer) continue;
    const score = recommendScore(s, scoreAt0, scoreAt1, scoreNoise * rng.normal());
    responses++;
    promoters += score >= 9 ? 1 : 0;
    detractors += score <= 6 ? 1 : 0;
  }
  const t = w.today;
  t.surveyResponses = responses;
  t.promoters = promoters;
  t.detractors = detractors;
  const lt = w.lifetime;
  lt.surveyResponses += responses;
  lt.promoters += promoters;
  lt.detractors += detractors;
}

/** A respondent's 0-10 score: linear in satisfaction from `at0` to `at1`, plus `noise`, rounded and clipped. */
export function recommendScore(satisfaction: number, at0: number, at1: number, noise: number): number {
  const x = Math.round(at0 + (at1 - at0) * satisfaction + noise);
  return x < 0 ? 0 : x > 10 ? 10 : x;
}

/** Net promoter score in points (-100 to 100): % promoters - % detractors of `responses`; NaN with none. */
export function nps(promoters: number, detractors: number, responses: number): number {
  return responses > 0 ? (100 * (promoters - detractors)) / responses : NaN;
}

/** Members who are customers and, of them, those active in the last 30 days, at the end of day `day`. */
export function countCustomers(w: World, out: Float64Array): void {
  const m = w.members;
  const { present, customer, lastVisit, roster } = m;
  const day = w.day;
  let customers = 0, active = 0;
  for (let k = 0; k < m.rosterSize; k++) {
    const i = roster[k];
    const c = present[i] & customer[i];
    customers += c;
    active += day - lastVisit[i] < ACTIVE_DAYS ? c : 0;
  }
  out[0] = customers;
  out[1] = active;
}
