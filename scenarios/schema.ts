/**
 * The scenario format, defined once. Defaults, documentation (`.describe`), TypeScript types
 * (`z.infer`) and the JSON Schema for editors all come from this file, so they cannot drift.
 * Every behavioural default rests on a finding of ../shared/MODEL.md; the description of each
 * field says what it means and, where it is calibrated, against which finding.
 *
 * Pure TypeScript (zod only): the engine, the CLI and the browser all import it.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Field builders: each one carries its own "expected ..." message so a bad value is reported as
// `policies.moderation.strictness: expected a number in [0, 1], got 1.7`.

export const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v);
  // JSON.stringify writes NaN and Infinity (1e400 in a file) as null, which was never given
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} (not a finite number)`;
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
};

/** A finite number in [lo, hi]. */
export function num(lo: number, hi: number) {
  const hiText = hi === Infinity ? 'infinity' : String(hi);
  const expected = hi === Infinity ? `a number >= ${lo}` : `a number in [${lo}, ${hiText}]`;
  const error = (iss: { input?: unknown }) => `expected ${expected}, got ${show(iss.input)}`;
  let s = z.number({ error }).min(lo, { error });
  if (hi !== Infinity) s = s.max(hi, { error });
  return s;
}

/** An integer in [lo, hi]. */
export function int(lo: number, hi: number) {
  const expected = hi === Infinity ? `an integer >= ${lo}` : `an integer in [${lo}, ${hi}]`;
  const error = (iss: { input?: unknown }) => `expected ${expected}, got ${show(iss.input)}`;
  let s = z.number({ error }).int({ error }).min(lo, { error });
  if (hi !== Infinity) s = s.max(hi, { error });
  return s;
}

export const bool = () => z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}` });

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.map((v) => `"${v}"`).join(', ');
  return z.enum(values, { error: (iss) => `expected one of ${list}, got ${show(iss.input)}` });
}

/** What a coefficient is measured in and what its default rests on, printed by `community-sim schema`. */
export interface CoefMeta {
  /** Unit of the value ("log-odds", "satisfaction per day", "hours", "share", ...). */
  unit: string;
  /** The evidence: a MODEL.md finding or paper with its figure, a seed, or "assumption". */
  evidence: string;
}

/**
 * A behavioural coefficient: a number in [lo, hi] with its default, description, unit and
 * evidence. The unit and evidence go both into the description (what editors and `--help` show)
 * and into the schema's metadata (what `community-sim schema` and the reports read).
 */
export function coef(lo: number, hi: number, value: number, description: string, meta: CoefMeta) {
  return num(lo, hi).default(value).describe(`${description} Unit: ${meta.unit}. Evidence: ${meta.evidence}.`).meta({ unit: meta.unit, evidence: meta.evidence });
}

/** An integer coefficient (days, counts), like `coef`. */
export function intCoef(lo: number, hi: number, value: number, description: string, meta: CoefMeta) {
  return int(lo, hi).default(value).describe(`${description} Unit: ${meta.unit}. Evidence: ${meta.evidence}.`).meta({ unit: meta.unit, evidence: meta.evidence });
}

/** An object that rejects unknown keys and fills its defaults even when omitted. */
export function block<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field ${(iss as unknown as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ')}`
        : `expected an object, got ${show(iss.input)}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Population

const Archetypes = ['lurker', 'contributor', 'expert', 'troll'] as const;
export type ArchetypeName = (typeof Archetypes)[number];

const Mix = block({
  lurker: num(0, Infinity).default(0.735).describe('Weight of lurkers: read, rarely post (Nielsen 2006: ~90% of members lurk).'),
  contributor: num(0, Infinity).default(0.2).describe('Weight of contributors: post and reply now and then.'),
  expert: num(0, Infinity).default(0.05).describe('Weight of expert-potential members: high expertise, answer questions, candidates for expert invites.'),
  troll: num(0, Infinity).default(0.015).describe('Weight of troll-prone members: high toxicity propensity. With the default lurkers (who rarely post) 0.015 makes troll-prone members about 5.6% of those who post, as Buckels, Trapnell & Paulhus 2014 (Personality and Individual Differences 67, study 1) found among people who comment online (5.6% named trolling their favourite activity).'),
})
  .refine((m) => m.lurker + m.contributor + m.expert + m.troll > 0, { error: 'expected at least one archetype weight above 0' })
  .describe('Archetype mix of members (weights, normalised to shares).');

const Traits = block({
  activitySigma: num(0, 3).default(1.1).describe('Spread (log-normal sigma) of activity propensity: larger means a heavier tail of very active members (Wilkinson 2008: heavy-tailed contributions).'),
  toxicityBase: num(0, 1).default(0.04).describe('Probability that an ordinary member\'s post is toxic in a calm thread and a neutral mood.'),
  trollToxicity: num(0, 1).default(0.35).describe('Same for troll-prone members (Cheng et al. 2017: 35% troll comments at baseline).'),
  toxicitySpread: num(0, 3).default(0.5).describe('Spread (sd in log-odds) of toxicity propensity between members.'),
  alignmentMean: num(0, 1).default(0.6).describe('Mean alignment with the community\'s values of an organic newcomer (referred ones are higher, bought ones lower).'),
  sensitivityMean: num(0, 1).default(0.5).describe('Mean sensitivity to toxicity; quiet loyal members (lurkers with high alignment) are more sensitive.'),
  alignmentSpread: coef(0, 1, 0.15, 'Sd of a member\'s alignment around the mean of their channel.', { unit: 'alignment', evidence: 'assumption' }),
  referredAlignment: coef(-1, 1, 0.15, 'Alignment a referred newcomer has above the mean (they come through a satisfied member).', { unit: 'alignment', evidence: 'seeds: a group is not yet a community; referred members fit better than bought ones' }),
  boughtAlignment: coef(-1, 1, -0.15, 'Alignment a bought (ads) newcomer has relative to the mean.', { unit: 'alignment', evidence: 'seeds: a group is not yet a community' }),
  trollAlignment: coef(-1, 1, -0.2, 'Alignment of a troll-prone member relative to their channel\'s.', { unit: 'alignment', evidence: 'assumption' }),
  raiderAlignment: coef(0, 1, 0.1, 'Mean alignment of a raider (troll raids).', { unit: 'alignment', evidence: 'assumption' }),
  sensitivitySpread: coef(0, 1, 0.15, 'Sd of sensitivity to toxicity between members.', { unit: 'sensitivity', evidence: 'assumption' }),
  lurkerSensitivity: coef(-1, 1, 0.15, 'Extra sensitivity of lurkers: the quiet loyal members are the most sensitive.', { unit: 'sensitivity', evidence: 'MODEL.md "Entities"; seeds: quiet loyal members leave first' }),
  alignedSensitivity: coef(-2, 2, 0.3, 'Sensitivity per unit of alignment above 0.5.', { unit: 'sensitivity', evidence: 'MODEL.md "Entities"' }),
  trollSensitivity: coef(-1, 1, -0.35, 'Sensitivity of troll-prone members relative to others.', { unit: 'sensitivity', evidence: 'assumption' }),
  expertExpertise: block({
    min: coef(0, 1, 0.6, 'Lowest expertise of an expert-potential member (uniform up to max).', { unit: 'expertise', evidence: 'assumption' }),
    max: coef(0, 1, 0.98, 'Highest expertise of an expert-potential member.', { unit: 'expertise', evidence: 'assumption' }),
  }).prefault({}),
  otherExpertise: block({
    min: coef(0, 1, 0.05, 'Lowest expertise of other members (uniform up to max).', { unit: 'expertise', evidence: 'assumption' }),
    max: coef(0, 1, 0.5, 'Highest expertise of other members.', { unit: 'expertise', evidence: 'assumption' }),
  }).prefault({}),
  extraTopics: intCoef(0, 31, 2, 'Most extra topics a member follows beyond the first (uniform from 0).', { unit: 'topics', evidence: 'assumption' }),
  initialTenureDays: intCoef(0, 36500, 180, 'Initial members joined up to this many days before the burn-in (uniform).', { unit: 'days', evidence: 'assumption' }),
  initialIdentityMax: coef(0, 1, 0.3, 'Initial members start with identity uniform up to this (the burn-in then moves it).', { unit: 'identity', evidence: 'assumption' }),
  initialHabitMax: coef(0, 1, 0.4, 'Initial members start with habit uniform up to this.', { unit: 'habit', evidence: 'assumption' }),
  newcomerHabit: coef(0, 1, 0.3, 'Habit of a newcomer on joining (they came today).', { unit: 'habit', evidence: 'assumption' }),
});

const Discovery = block({
  referenceVisible: coef(0.1, 1_000_000, 50, 'Visible activity (items a day, see the weights below) at which organicPerDay newcomers arrive a day.', { unit: 'visible items per day', evidence: 'assumption (a scale: organicPerDay is the inflow at this level of activity; 50 keeps the default community at its size over a year, README "Plausible defaults")' }),
  elasticity: coef(0, 2, 1, 'Organic arrivals grow as (visible activity / referenceVisible)^elasticity: at 1 twice the activity brings twice the newcomers, so a community of any size can hold its size; below 1 (search and shares saturate) a community settles at a size of its own.', { unit: 'exponent', evidence: 'assumption' }),
  baseline: coef(0, 1, 0.05, 'Share of organicPerDay that arrives whatever the activity (a listing, a link somewhere); the rest follows visible activity, so a silent community nearly stops attracting people.', { unit: 'share', evidence: 'MODEL.md "Discovery"; Kraut & Fiore 2014 (most new groups die)' }),
  memoryDays: coef(1, 3650, 30, 'Days over which outsiders still find past activity (search indexes, shared links): visible activity is averaged with this time constant.', { unit: 'days', evidence: 'assumption' }),
  answerWeight: coef(0, 100, 2, 'Visible items an answered question counts for (searchers find answers).', { unit: 'items', evidence: 'assumption' }),
  mentionWeight: coef(0, 1000, 10, 'Visible items a mention outside the community counts for (seen by many outsiders).', { unit: 'items', evidence: 'seeds: citations outside the community' }),
  eventWeight: coef(0, 1000, 1, 'Visible items an event attendee counts for (events are seen and talked about outside).', { unit: 'items per attendee', evidence: 'assumption' }),
});

const Graph = z.union([
  block({
    generator: oneOf(['small-world', 'preferential-attachment', 'random', 'none'] as const).default('small-world').describe('Generator of the initial ties: small-world (Watts-Strogatz), preferential-attachment (Barabasi-Albert) or random (Erdos-Renyi).'),
    meanDegree: num(0, 200).default(6).describe('Mean number of ties per initial member.'),
    rewire: num(0, 1).default(0.1).describe('Small-world rewiring probability.'),
  }),
  block({
    file: z.string({ error: (iss) => `expected a file path, got ${show(iss.input)}` }).min(1, { error: 'expected a non-empty file path' }).describe('Path of a graph file to start from (GEXF, GraphML or an edge list "a b [weight]" a line). Its node count replaces population.initialMembers. The burn-in (population.burnInDays) still reshapes habits, satisfaction and ties before day 0; set burnInDays to 0 to start from the file network exactly.'),
    format: oneOf(['gexf', 'graphml', 'edgelist'] as const).optional().describe('File format; guessed from the extension when omitted.'),
  }),
], { error: () => 'expected { generator, meanDegree, rewire } or { file, format }' });

const Population = block({
  initialMembers: int(0, 10_000_000).default(1000).describe('Members on the rolls on day 0: accounts, of whom only some are active in a given month (the burn-in sets the mix; see burnInDays).'),
  organicPerDay: num(0, 1_000_000).default(2.25).describe('Newcomers a day who find the community on their own (search, shares, mentions outside) when its visible activity is at population.discovery.referenceVisible and none of its market is on the rolls; organic arrivals follow visible activity from there (a silent community stops attracting people) and shrink as the rolls fill the market (population.audience). The default 2.25 brings 1.5 a day to the default community on day 0, a third of its market on the rolls.'),
  topics: int(1, 32).default(8).describe('Number of topics; each member is interested in 1 to 3 of them.'),
  mix: Mix.prefault({}),
  traits: Traits.prefault({}),
  graph: Graph.prefault({}),
  discovery: Discovery.prefault({}),
  audience: coef(0, 1_000_000_000, 0, 'People who could ever join (the market): organic and referred arrivals shrink as the rolls fill it, arrivals x (1 - members / audience), so growth saturates; a day brings no more of them than the audience not yet on the rolls. 0: not stated, the market is population.marketMultiple times the members on the rolls on day 0 (a community that opens with no members then has an open market of 1,000,000). State it for your own community.', { unit: 'people', evidence: 'Bass 1969 (Management Science 15(5)): adoption slows as adopters fill the market potential' }),
  marketMultiple: coef(1, 1000, 3, 'When population.audience is 0 (not stated): the market is this many times the members on the rolls on day 0, so an established community has reached 1 / marketMultiple of the people it can draw from and a run of any starting size meets its market at the same point of its growth. Without a stated market nothing bounds a growing community (the defaults grew tenfold in four years with a market of 1,000,000).', { unit: 'x day-0 members', evidence: 'assumption (the presets state markets of 1.5 to 25 times their starting members, median 6.7; at 3, a mature community that has reached a third of its market, the defaults grow about twofold over four years and level off, where an open market let them grow tenfold: bench/long-run.ts)' }),
  burnInDays: int(0, 3650).default(180).describe('Days the community lives before day 0, unrecorded, to reach an established state: members who leave are replaced by newcomers, so day 0 has the initial members with a mix of stages, tenures, habits, ties and lapsed accounts that the model itself produces. 0 starts from freshly drawn members. Unit: days. Evidence: assumption (a start that neither collapses nor jumps).'),
});

// ---------------------------------------------------------------------------------------------
// Behaviour: the calibrated coefficients of the member model. Researchers may vary them; the
// defaults reproduce MODEL.md findings 1-6 (see test/engine/findings.test.ts).


const SEEDS = 'seeds (../shared/seeds: community-management articles)';
const ASSUMED = 'assumption';

// Member mechanisms, one block each. Every coefficient states its unit and evidence (`coef`);
// the defaults reproduce MODEL.md's findings (test/engine/findings.test.ts) and the plausibility
// table of the README.

const perArchetype = (values: [number, number, number, number], lo: number, hi: number, what: string, meta: CoefMeta) =>
  block({
    lurker: coef(lo, hi, values[0], `${what} of a lurker.`, meta),
    contributor: coef(lo, hi, values[1], `${what} of a contributor.`, meta),
    expert: coef(lo, hi, values[2], `${what} of an expert-potential member.`, meta),
    troll: coef(lo, hi, values[3], `${what} of a troll-prone member.`, meta),
  });

const Visits = block({
  rate: perArchetype([0.04, 0.12, 0.12, 0.12], 0.0001, 0.99, 'Chance of visiting on an ordinary day (neutral satisfaction, no habit, no friends active, nothing new)', { unit: 'probability per day', evidence: 'Nielsen 2006 (90-9-1): lurkers come rarely; assumption for the levels' }).prefault({}),
  activityWeight: coef(0, 3, 0.35, 'Visit log-odds per unit of log activity propensity: more active members also come more often.', { unit: 'log-odds per log unit', evidence: ASSUMED }),
  satisfaction: coef(0, 20, 3, 'Visit log-odds per unit of satisfaction above 0.5.', { unit: 'log-odds per unit of satisfaction', evidence: 'seeds ("green light in the head"); assumption for the size' }),
  habit: coef(0, 10, 1.2, 'Visit log-odds per unit of habit (a moving average of visiting).', { unit: 'log-odds', evidence: ASSUMED }),
  habitMemory: coef(0, 0.999, 0.9, 'Daily factor of the habit average: habit = memory x habit + (1 - memory) x visited today.', { unit: 'factor per day', evidence: ASSUMED }),
  social: coef(0, 10, 0.6, 'Visit log-odds per unit of log(1 + tie-weighted activity of friends yesterday).', { unit: 'log-odds', evidence: ASSUMED }),
  fresh: coef(0, 10, 0.7, 'Visit log-odds of a full unit of fresh content (rubrics, expert posts, contests), times 0.5 + its quality.', { unit: 'log-odds', evidence: 'seeds: regular rubrics give a reason to come back; assumption for the size' }),
  quiet: coef(0, 10, 1.5, 'Visit log-odds lost when nothing was posted yesterday, fading as items appear: quiet x exp(-items / quietScale).', { unit: 'log-odds', evidence: 'Kraut & Fiore 2014 (most new groups die; a silent group gives no reason and no notification to come); assumption for the size' }),
  quietScale: coef(0.1, 1000, 1.5, 'Items a day over which the quiet-community penalty fades.', { unit: 'items per day', evidence: ASSUMED }),
  awayWeight: coef(0, 10, 1, 'Visit log-odds lost per unit of log(1 + days since the last visit / awayScale): a member long away is less likely to come back.', { unit: 'log-odds', evidence: 'MODEL.md "Members": dormant members come back, less likely the longer they have been away; assumption for the size' }),
  awayScale: coef(0.1, 365, 14, 'Days of absence over which the away penalty grows by one log unit.', { unit: 'days', evidence: ASSUMED }),
  lapsePenalty: coef(0, 20, 3, 'Visit log-odds lost by a member who decided to stop coming (lapsed) until they come back.', { unit: 'log-odds', evidence: ASSUMED }),
});

const Posting = block({
  postRate: perArchetype([0.006, 0.07, 0.06, 0.08], 0, 1, 'Chance per visit of starting a thread, before the activity multiplier', { unit: 'probability per visit', evidence: 'Nielsen 2006 (90-9-1), Wilkinson 2008 (heavy-tailed contributions); assumption for the levels' }).prefault({}),
  replyRate: perArchetype([0.006, 0.07, 0.08, 0.09], 0, 5, 'Expected replies per visit, before the activity multiplier', { unit: 'replies per visit', evidence: 'as postRate' }).prefault({}),
  maxPostChance: coef(0, 1, 0.9, 'Cap on the chance of starting a thread on one visit.', { unit: 'probability', evidence: ASSUMED }),
  maxRepliesPerVisit: intCoef(1, 100, 5, 'Most replies one visit makes.', { unit: 'replies', evidence: ASSUMED }),
  momentum: coef(0, 5, 0.35, 'Activity multiplier 1 + momentum x log(1 + past contributions): the chance of stopping falls roughly as 1/k after k contributions.', { unit: 'per log contribution', evidence: 'Wilkinson 2008 (ACM EC): stopping probability ~ 1/k' }),
  askNewcomer: coef(0, 1, 0.45, 'Share of a newcomer\'s thread starters that are questions.', { unit: 'share', evidence: 'Burke et al. 2007 (newcomers often open with a question); assumption for the size' }),
  askOther: coef(0, 1, 0.18, 'Share of other members\' thread starters that are questions.', { unit: 'share', evidence: ASSUMED }),
  reactRate: coef(0, 1, 0.07, 'Chance that reading a calm item ends in a reaction (a like).', { unit: 'probability per read', evidence: ASSUMED }),
  discussionQuality: coef(0, 1, 0.3, 'Usefulness to readers of an ordinary post, per unit of the author\'s expertise (an expert post\'s is the expertise itself).', { unit: 'quality per expertise', evidence: ASSUMED }),
});

const Toxicity = block({
  pushback: coef(0, 20, 2, 'Toxicity log-odds removed per unit of the share of advocates among yesterday\'s visitors (they defend the community against attackers).', { unit: 'log-odds per share', evidence: 'seeds: advocates defend the community; assumption for the size' }),
  threadContagion: coef(0, 5, 0.5, 'Share of behaviour.contagion added to a reply in a toxic thread (troll posts in the thread).', { unit: 'share of contagion', evidence: 'Cheng et al. 2017 (CSCW): troll posts in the thread raise troll comments from 35% to ~50%' }),
  exposureMemory: coef(0, 0.999, 0.6, 'Daily factor of a member\'s toxicity exposure average.', { unit: 'factor per day', evidence: ASSUMED }),
  tieExposure: coef(0, 5, 0.5, 'Weight of friends\' visible toxic acts (tie-weighted share) in today\'s exposure, besides what was read.', { unit: 'share', evidence: ASSUMED }),
  newcomerHabitLoss: coef(0, 1, 1, 'Share of a newcomer\'s habit of coming lost to a toxic reply, times their sensitivity (the newcomer stops coming, not only feels worse).', { unit: 'share per sensitivity', evidence: 'Smirnov, Oprea & Strohmaier 2023 (PNAS Nexus): a toxic comment on a first or second contribution makes continuing 1.8x less likely (bench/targeted-harm.ts --newcomers)' }),
  newcomerHarm: coef(0, 100, 16, 'Multiplier of behaviour.targetedHarm for a newcomer (newcomers targeted early are the likeliest to give up): at 16 a toxic reply to a first contribution takes 1.6 x sensitivity of satisfaction, about all a newcomer has.', { unit: 'factor', evidence: 'Smirnov, Oprea & Strohmaier 2023 (PNAS Nexus): a toxic comment on a first or second contribution makes continuing 1.8x less likely; the model gives 1.57x (bench/targeted-harm.ts --newcomers), about the most the satisfaction channel holds' }),
});

const Satisfaction = block({
  replyLater: coef(0, 1, 0.008, 'Satisfaction from a reply to a post other than the first.', { unit: 'satisfaction', evidence: ASSUMED }),
  reaction: coef(0, 1, 0.002, 'Satisfaction from a reaction to one\'s item.', { unit: 'satisfaction', evidence: ASSUMED }),
  firstPostIgnored: coef(0, 1, 0.06, 'Satisfaction lost by a newcomer whose first post got no reply by the end of the day.', { unit: 'satisfaction', evidence: 'Joyce & Kraut 2006 (56% vs 44% post again)' }),
  boredom: coef(0, 1, 0.01, 'Satisfaction lost by a visitor who found nothing useful.', { unit: 'satisfaction per visit', evidence: 'MODEL.md step 6 (boredom)' }),
  useful: coef(0, 1, 0.02, 'Satisfaction per unit of quality of useful items read.', { unit: 'satisfaction per quality unit', evidence: ASSUMED }),
  usefulAtLeast: coef(0, 10, 0.1, 'Quality read in a visit below which the visit was boring.', { unit: 'quality units', evidence: ASSUMED }),
  ties: coef(0, 1, 0.004, 'Daily satisfaction from active ties, per unit of tanh(bonds / tiesScale).', { unit: 'satisfaction per day', evidence: ASSUMED }),
  tiesScale: coef(0.1, 100, 3, 'Tie weight at which the ties\' satisfaction is three quarters of its most.', { unit: 'tie weight', evidence: ASSUMED }),
  drift: coef(0, 1, 0.03, 'Daily pull of satisfaction back toward the member\'s home level.', { unit: 'share per day', evidence: ASSUMED }),
  homeBase: coef(0, 1, 0.25, 'Home satisfaction level of a member with no alignment, attachment or identity.', { unit: 'satisfaction', evidence: ASSUMED }),
  homeAlignment: coef(0, 1, 0.45, 'Home satisfaction per unit of alignment with the values.', { unit: 'satisfaction', evidence: 'seeds: 64% of buyers say shared values tie them to a brand; assumption for the size' }),
  homeLeader: coef(0, 1, 0.15, 'Home satisfaction per unit of attachment to the leader.', { unit: 'satisfaction', evidence: 'seeds: people attach to a living person first' }),
  homeIdentity: coef(0, 1, 0.1, 'Home satisfaction per unit of identity with the community.', { unit: 'satisfaction', evidence: ASSUMED }),
  newcomer: coef(0, 1, 0.42, 'Starting satisfaction of a newcomer (plus 0.3 x (alignment - 0.5) and noise).', { unit: 'satisfaction', evidence: ASSUMED }),
  initial: coef(0, 1, 0.6, 'Starting satisfaction of an initial member before the burn-in.', { unit: 'satisfaction', evidence: ASSUMED }),
  alignmentSlope: coef(0, 2, 0.3, 'Starting satisfaction per unit of alignment above 0.5.', { unit: 'satisfaction', evidence: ASSUMED }),
  startSpread: coef(0, 1, 0.05, 'Sd of starting satisfaction.', { unit: 'satisfaction', evidence: ASSUMED }),
});

const Identity = block({
  perVisit: coef(0, 1, 0.002, 'Identity gained per visit.', { unit: 'identity', evidence: ASSUMED }),
  perContribution: coef(0, 1, 0.008, 'Identity gained on a day with a post or reply.', { unit: 'identity', evidence: ASSUMED }),
  decay: coef(0, 1, 0.01, 'Daily loss of identity, as a share of it.', { unit: 'share per day', evidence: ASSUMED }),
});

const Stages = block({
  regularAfterDays: intCoef(0, 3650, 7, 'Days a newcomer stays a newcomer at least.', { unit: 'days', evidence: ASSUMED }),
  regularHabit: coef(0, 1, 0.25, 'Habit a newcomer needs to become a regular.', { unit: 'habit', evidence: ASSUMED }),
  regularSatisfaction: coef(0, 1, 0.45, 'Satisfaction a regular needs (below it a core member falls back to regular).', { unit: 'satisfaction', evidence: ASSUMED }),
  coreAfterDays: intCoef(0, 3650, 30, 'Tenure a core member needs.', { unit: 'days', evidence: ASSUMED }),
  coreIdentity: coef(0, 1, 0.35, 'Identity a core member needs.', { unit: 'identity', evidence: ASSUMED }),
  coreBonds: coef(0, 1000, 1.5, 'Tie weight to current members a core member needs.', { unit: 'tie weight', evidence: ASSUMED }),
  coreContributions: intCoef(0, 100000, 8, 'Posts and replies a core member needs.', { unit: 'contributions', evidence: ASSUMED }),
  coreSatisfaction: coef(0, 1, 0.62, 'Satisfaction a core member needs.', { unit: 'satisfaction', evidence: ASSUMED }),
  advocateAfterDays: intCoef(0, 3650, 90, 'Tenure an advocate needs.', { unit: 'days', evidence: ASSUMED }),
  advocateIdentity: coef(0, 1, 0.7, 'Identity an advocate needs.', { unit: 'identity', evidence: ASSUMED }),
  advocateContributions: intCoef(0, 100000, 20, 'Posts and replies an advocate needs.', { unit: 'contributions', evidence: ASSUMED }),
  advocateSatisfaction: coef(0, 1, 0.85, 'Satisfaction a core member needs to become an advocate.', { unit: 'satisfaction', evidence: ASSUMED }),
  advocateKeep: coef(0, 1, 0.7, 'Satisfaction below which an advocate falls back to core.', { unit: 'satisfaction', evidence: ASSUMED }),
});

const Churn = block({
  stageHazard: block({
    newcomer: coef(0, 10, 1, 'Leaving-hazard multiplier of a newcomer.', { unit: 'factor', evidence: 'MODEL.md step 8; assumption for the size' }),
    regular: coef(0, 10, 0.5, 'Leaving-hazard multiplier of a regular.', { unit: 'factor', evidence: ASSUMED }),
    core: coef(0, 10, 0.25, 'Leaving-hazard multiplier of a core member.', { unit: 'factor', evidence: ASSUMED }),
    advocate: coef(0, 10, 0.12, 'Leaving-hazard multiplier of an advocate.', { unit: 'factor', evidence: ASSUMED }),
  }).prefault({}),
  satisfaction: coef(0, 50, 5, 'Log hazard removed per unit of satisfaction above 0.5.', { unit: 'log hazard', evidence: 'MODEL.md step 8 (churn hazard grows as satisfaction falls); assumption for the size' }),
  identity: coef(0, 50, 1.5, 'Log hazard removed per unit of identity.', { unit: 'log hazard', evidence: ASSUMED }),
  ties: coef(0, 50, 0.6, 'Log hazard removed per unit of tanh(bonds).', { unit: 'log hazard', evidence: ASSUMED }),
  leader: coef(0, 50, 1, 'Log hazard removed per unit of attachment to the leader.', { unit: 'log hazard', evidence: 'seeds: people attach to a living person first' }),
  trollEase: coef(0, 50, 3, 'Log hazard a troll-prone member loses per unit of toxicity exposure: trolls stay where they feel at ease.', { unit: 'log hazard', evidence: 'MODEL.md step 8' }),
  unsubscribeShare: coef(0, 1, 0.15, 'Share of members who, deciding to leave, unsubscribe (leave the rolls at once); the rest just stop coming and stay members until behaviour.dormantDays pass.', { unit: 'share', evidence: 'MODEL.md "Members": most members of an established community are inactive in a month; assumption for the size' }),
});

const TieRules = block({
  reply: coef(0, 5, 0.12, 'Tie weight a reply adds between replier and author.', { unit: 'tie weight', evidence: 'MODEL.md step 9' }),
  referrer: coef(0, 5, 1, 'Tie weight between a referred newcomer and the member who brought them.', { unit: 'tie weight', evidence: ASSUMED }),
  attach: intCoef(0, 50, 2, 'Ties a newcomer forms on joining besides the referrer (with members active yesterday, preferring shared interests).', { unit: 'ties', evidence: ASSUMED }),
  attachWeight: coef(0, 5, 0.3, 'Weight of each of those ties.', { unit: 'tie weight', evidence: ASSUMED }),
  attachCandidates: intCoef(1, 100, 3, 'Members active yesterday a newcomer looks at for each of those ties, taking the first who shares an interest.', { unit: 'members', evidence: ASSUMED }),
  initial: coef(0, 5, 0.5, 'Weight of the ties of a generated initial graph (a file\'s weights are kept).', { unit: 'tie weight', evidence: ASSUMED }),
  pruneBelow: coef(0, 5, 0.02, 'Ties weaker than this are dropped at the monthly prune.', { unit: 'tie weight', evidence: ASSUMED }),
});

const Referrals = block({
  fromSatisfaction: coef(0, 1, 0.6, 'Satisfaction above which a regular member may bring a friend; the chance grows linearly to the full rate at 1.', { unit: 'satisfaction', evidence: 'seeds: 78% of satisfied customers recommend the brand' }),
  regular: coef(0, 100, 1, 'Referral-rate multiplier of a regular.', { unit: 'factor', evidence: ASSUMED }),
  core: coef(0, 100, 2, 'Referral-rate multiplier of a core member.', { unit: 'factor', evidence: ASSUMED }),
  advocate: coef(0, 100, 5, 'Referral-rate multiplier of an advocate.', { unit: 'factor', evidence: 'seeds: advocates refer others' }),
});

const Answers = block({
  value: coef(0, 1, 0.08, 'Satisfaction an answer to one\'s question gives when prompt (times exp(-hours / answerPatienceHours)).', { unit: 'satisfaction', evidence: 'MODEL.md finding 7' }),
  expiryDays: intCoef(1, 365, 7, 'Days after which an unanswered question expires.', { unit: 'days', evidence: 'Burke et al. 2007: ~40% of thread starters never get a reply' }),
  expiryPenaltyDays: coef(0, 100, 2, 'Extra silence cost of a question that expired unanswered, in days of behaviour.silenceCost.', { unit: 'days of silence cost', evidence: 'seeds: do not stay silent when asked' }),
});

const Mentions = block({
  rate: coef(0, 1, 0.02, 'Chance a day that a visitor who found useful content mentions or shares it outside the community, times satisfaction.', { unit: 'probability per visit', evidence: 'seeds: being cited outside the community is a yardstick; assumption for the size' }),
});

const Behaviour = block({
  readsPerVisit: num(0, 100).default(6).describe('Items a visitor reads per visit.'),
  toxicAttention: num(0, 10).default(1.8).describe('Attention multiplier of a toxic item when readers and repliers pick what to read (Beknazar-Yuzbashev et al. 2022: toxic content draws consumption).'),
  contagion: num(0, 10).default(0.41).describe('Log-odds added to a member\'s chance of a toxic act per unit of recent toxic exposure share; a reply in a toxic thread adds behaviour.toxicity.threadContagion times more. Sized so that a member who reads only toxic items and replies in a troll thread gains 0.41 x (1 + 0.5) = +0.62 log-odds, Cheng et al. 2017 (CSCW): 35% -> 50% troll comments with troll posts in the thread.'),
  moodEffect: num(0, 10).default(2).describe('Log-odds added to a toxic act per unit of bad mood, max(0, 0.5 - satisfaction): only a bad mood acts (Cheng et al. 2017: 35% -> 50% in a bad mood, 68% with both).'),
  replyValue: num(0, 1).default(0.2).describe('Satisfaction a newcomer gains when their first post gets a reply (Joyce & Kraut 2006: 56% vs 44% post again).'),
  toxicHarm: num(0, 1).default(0.025).describe('Satisfaction lost per toxic item seen, times the member\'s sensitivity (Smirnov et al. 2023).'),
  targetedHarm: num(0, 1).default(0.1).describe('Satisfaction lost when a toxic reply targets the member, times sensitivity; times behaviour.toxicity.newcomerHarm for newcomers. Smirnov, Oprea & Strohmaier 2023 (PNAS Nexus): a toxic comment cost a Wikipedia editor 0.5 to 2 active days; at 0.1 one toxic reply costs an established member about 1.1 active days over the next 90 (95% CI 0.4-1.8, bench/targeted-harm.ts).'),
  answerPatienceHours: num(0.1, 10000).default(24).describe('An answer after w hours is worth exp(-w / patience) of a prompt one (MODEL.md finding 7).'),
  silenceCost: num(0, 1).default(0.02).describe('Satisfaction lost per day a member\'s question stays open, charged by the hour it waits ("do not stay silent when asked").'),
  churnBase: num(0, 1).default(0.018).describe('Daily leaving hazard of a newcomer at neutral satisfaction; falls with satisfaction, ties, identity and contributions.'),
  dormantDays: int(1, 10000).default(365).describe('A member who has not visited for this many days is counted out (leaves the rolls). Members are accounts: most are inactive in a given month.'),
  tieDecay: num(0, 1).default(0.985).describe('Daily factor on tie weights without interaction (half-life ~46 days at 0.985).'),
  referralRate: num(0, 1).default(0.004).describe('Daily chance that a fully satisfied regular member brings a friend (advocates x5).'),
  visits: Visits.prefault({}),
  posting: Posting.prefault({}),
  toxicity: Toxicity.prefault({}),
  satisfaction: Satisfaction.prefault({}),
  identity: Identity.prefault({}),
  stages: Stages.prefault({}),
  churn: Churn.prefault({}),
  ties: TieRules.prefault({}),
  referrals: Referrals.prefault({}),
  answers: Answers.prefault({}),
  mentions: Mentions.prefault({}),
});

// ---------------------------------------------------------------------------------------------
// The manager and the policies (the levers of MODEL.md).

const Manager = block({
  hoursPerDay: num(0, 24).default(3).describe('The manager\'s working hours a day; every lever that takes work draws on them (seeds: after one festival a manager counted more than 3,500 messages).'),
  minutesPerAnswer: num(0.1, 600).default(6).describe('Minutes the manager needs to answer one question or welcome one newcomer.'),
  startHour: coef(0, 23.99, 9, 'Hour of the day the manager\'s working window opens.', { unit: 'hour of day', evidence: 'assumption' }),
  windowHours: coef(0.25, 24, 10, 'Length of the working window over which the manager spreads their hours (a manager with more hours than this works longer).', { unit: 'hours', evidence: 'assumption' }),
});

const nullableInt = (lo: number, hi: number) => int(lo, hi).nullable();

// Each lever's block holds its switches (how often, how much) and, after them, the coefficients
// of its mechanism with their unit and evidence: what it costs the manager and what it does.

const Rubrics = block({
  perWeek: num(0, 21).default(0).describe('Recurring themed posts a week. Fresh, regular content gives a reason to come back (seeds). Each manager-hosted rubric costs about an hour.'),
  memberHostedShare: num(0, 1).default(0).describe('Share of rubric slots hosted by members, who gain recognition and identity and cost the manager less (seeds: members take initiative and propose topics).'),
  quality: num(0, 1).default(0.6).describe('How useful a rubric post is to its readers (satisfaction and visits).'),
  managerHours: coef(0, 24, 1, 'Manager hours to prepare and run one manager-hosted rubric; with fewer hours the rubric is poorer in proportion.', { unit: 'hours per rubric', evidence: `${SEEDS}: about an hour a post` }),
  coordinationHours: coef(0, 24, 0.25, 'Manager hours to coordinate one member-hosted rubric.', { unit: 'hours per rubric', evidence: ASSUMED }),
  fresh: coef(0, 1, 0.5, 'Fresh content one rubric adds to the day (a reason to visit, capped at 1 with the other levers).', { unit: 'share of a full day of fresh content', evidence: `${SEEDS}: fresh, regular content gives a reason to come back` }),
  prompt: coef(0, 10, 0.3, 'Posting multiplier a rubric\'s prompt adds for the day, per unit of quality.', { unit: 'x posting rate per unit quality', evidence: ASSUMED }),
  readValue: coef(0, 1, 0.02, 'Satisfaction a visitor who follows a manager rubric\'s topic gets from reading it, per unit of quality.', { unit: 'satisfaction per read', evidence: ASSUMED }),
  hostSatisfaction: coef(0, 1, 0.05, 'Satisfaction a member host gains from hosting (recognition).', { unit: 'satisfaction per rubric', evidence: `${SEEDS}: members take initiative` }),
  hostIdentity: coef(0, 1, 0.06, 'Identity with the community a member host gains.', { unit: 'identity per rubric', evidence: SEEDS }),
  hostHabit: coef(0, 1, 0.1, 'Habit a member host gains (they come back to run it).', { unit: 'habit per rubric', evidence: ASSUMED }),
  hostQualityBase: coef(0, 2, 0.7, 'A member-hosted rubric\'s quality is quality x (hostQualityBase + hostQualityPerExpertise x the host\'s expertise), capped at 1.', { unit: 'factor', evidence: ASSUMED }),
  hostQualityPerExpertise: coef(0, 2, 0.6, 'See hostQualityBase.', { unit: 'factor per unit expertise', evidence: ASSUMED }),
  hostDraws: intCoef(1, 1000, 20, 'Members the manager considers when looking for a host; the most prolific eligible one is asked.', { unit: 'members', evidence: ASSUMED }),
});

const Experts = block({
  invitesPerMonth: num(0, 100).default(0).describe('Members invited a month to act as experts (host, post, answer, AMA); each invite costs the manager half an hour.'),
  selection: oneOf(['most-active', 'most-expert', 'random'] as const).default('most-expert').describe('Whom to invite: a poor choice (low expertise) gives poor content.'),
  inviteHours: coef(0, 24, 0.5, 'Manager hours one invite takes, accepted or not; saved up over the days before when a day lacks them.', { unit: 'hours per invite', evidence: ASSUMED }),
  acceptBase: coef(0, 1, 0.2, 'Chance of accepting an invite at zero satisfaction; it rises by acceptSatisfaction per unit of satisfaction.', { unit: 'probability', evidence: ASSUMED }),
  acceptSatisfaction: coef(0, 1, 0.7, 'See acceptBase.', { unit: 'probability per unit satisfaction', evidence: ASSUMED }),
  recognition: coef(0, 1, 0.1, 'Satisfaction an accepted expert gains (recognition).', { unit: 'satisfaction per invite', evidence: `${SEEDS}: belonging and recognition for the invited` }),
  identity: coef(0, 1, 0.15, 'Identity an accepted expert gains.', { unit: 'identity per invite', evidence: SEEDS }),
  leader: coef(0, 1, 0.15, 'Attachment to the manager who asked that an accepted expert gains (while a manager is present).', { unit: 'attachment per invite', evidence: ASSUMED }),
  judgementError: coef(0, 1, 0.1, 'Sd of the manager\'s error judging expertise (selection most-expert).', { unit: 'expertise (sd)', evidence: ASSUMED }),
  freshPerExpert: coef(0, 1, 0.05, 'Fresh content each present expert adds to the day (their posts draw visits), of their mean expertise.', { unit: 'share of a full day per expert', evidence: `${SEEDS}: quality content for readers` }),
  freshMax: coef(0, 1, 0.4, 'Most fresh content present experts add to a day.', { unit: 'share of a full day', evidence: ASSUMED }),
  amaFresh: coef(0, 1, 0.3, 'Fresh content of a new expert\'s opening AMA thread.', { unit: 'share of a full day', evidence: ASSUMED }),
  answersPerVisit: intCoef(0, 100, 2, 'Open questions a visiting expert tries to answer (succeeding with a chance equal to their expertise).', { unit: 'questions per visit', evidence: 'assumption' }),
  answerHours: coef(0, 240, 1, 'Mean hours from an expert\'s visit to their answer.', { unit: 'hours', evidence: 'assumption' }),
  answerThanks: coef(0, 1, 0.01, 'Satisfaction an expert gets from an answer (thanks).', { unit: 'satisfaction', evidence: 'seeds: recognition' }),
  answerTie: coef(0, 5, 0.15, 'Tie weight an answer builds between expert and asker.', { unit: 'tie weight', evidence: 'assumption' }),
});

const Sanctions = block({
  warnAfter: nullableInt(1, 1000).default(1).describe('Strikes before a warning (null: never).'),
  muteAfter: nullableInt(1, 1000).default(3).describe('Strikes before a 7-day mute (null: never).'),
  banAfter: nullableInt(1, 1000).default(5).describe('Strikes before a ban (null: never). Bans remove repeat offenders.'),
});

const Moderation = block({
  strictness: num(0, 1).default(0.5).describe('Share of toxic items the moderators go after, and how early: a strict setting removes toxic items before most readers see them, but also removes some legitimate posts (false positives).'),
  rulesClarity: num(0, 1).default(0.5).describe('How clear and visible the rules are: clear rules lower toxic acts and soften the hurt of a removal.'),
  explainRemovals: bool().default(false).describe('Explain each removal to its author: costs a minute more per removal, halves the hurt of a wrongful one.'),
  minutesPerReview: num(0, 60).default(1.5).describe('Manager minutes to review one reported item; coverage falls when the hours run out.'),
  sanctions: Sanctions.prefault({}),
  rulesWeight: coef(0, 10, 0.6, 'Toxicity log-odds clear rules take off every toxic act: -rulesWeight x (2 rulesClarity - 1), so clarity 0.5 is neutral and vague rules add.', { unit: 'log-odds', evidence: `${SEEDS}: an unregulated community drifts into flame wars` }),
  rulesParticipation: coef(0, 5, 0.53, 'Log of the factor on newcomers\' posting and replying that clear rules give: exp(rulesParticipation x (2 rulesClarity - 1)), so clarity 0.5 is neutral, full clarity gives e^0.53 = 1.7 and vague rules take part away.', { unit: 'log factor', evidence: 'Matias 2019 (PNAS 116(20)): announcing the rules in 2,190 r/science discussions raised newcomers\' participation by 70% on average' }),
  enforcementWeight: coef(0, 10, 0.8, 'Toxicity log-odds visible enforcement takes off every toxic act at full enforcement (the moving share of toxic items removed).', { unit: 'log-odds', evidence: ASSUMED }),
  enforcementUpdate: coef(0, 1, 0.3, 'Weight of yesterday\'s removed share of toxic items in visible enforcement (the rest is the enforcement members saw before): how fast members notice removals.', { unit: 'share per day', evidence: ASSUMED }),
  earlyBase: coef(0, 1, 0.25, 'Share of a removed toxic item\'s readers spared at strictness 0; earlyPerStrictness more per unit of strictness (strict moderators remove sooner).', { unit: 'share of readers', evidence: ASSUMED }),
  earlyPerStrictness: coef(0, 1, 0.65, 'See earlyBase.', { unit: 'share of readers per unit strictness', evidence: ASSUMED }),
  proactive: coef(0, 1, 0.2, 'Share of legitimate items strict moderators review at full strictness (times strictness).', { unit: 'share of items', evidence: ASSUMED }),
  falsePositive: coef(0, 1, 0.04, 'Chance a legitimate item is removed by mistake at full strictness (times strictness squared and coverage).', { unit: 'probability per item', evidence: ASSUMED }),
  mistakeSeen: coef(0, 1, 0.4, 'Share of a wrongly removed item\'s audience who saw it before the removal.', { unit: 'share of readers', evidence: ASSUMED }),
  wrongfulHurt: coef(0, 1, 0.15, 'Satisfaction the author of a wrongly removed item loses (before the softening of clear rules and explanations).', { unit: 'satisfaction per removal', evidence: 'Smirnov et al. 2023 (harm to newcomers); assumption for the size' }),
  newcomerHurt: coef(1, 10, 1.6, 'Factor on wrongfulHurt when the author is a newcomer.', { unit: 'factor', evidence: 'Smirnov et al. 2023: newcomers ~1.8x less likely to continue after toxicity' }),
  rulesSoften: coef(0, 1, 0.5, 'Share of the hurt of a wrongful removal that full rules clarity takes away (x rulesClarity).', { unit: 'share', evidence: ASSUMED }),
  explainSoften: coef(0, 1, 0.5, 'Factor on the hurt of a removal, wrongful or not, when it is explained (0.5 halves it).', { unit: 'factor', evidence: ASSUMED }),
  explainMinutes: coef(0, 60, 1, 'Extra manager minutes to explain one removal at full strictness (times strictness).', { unit: 'minutes per review', evidence: ASSUMED }),
  removedOwnHurt: coef(0, 1, 0.03, 'Satisfaction the author of a removed toxic item loses (they feel censored).', { unit: 'satisfaction per removal', evidence: ASSUMED }),
  warning: coef(0, 10, 0.3, 'Lasting drop of the warned member\'s toxicity log-odds, times (0.5 + rulesClarity) and explainWarning when removals are explained.', { unit: 'log-odds', evidence: ASSUMED }),
  explainWarning: coef(1, 10, 1.5, 'Factor on a warning\'s effect when removals are explained.', { unit: 'factor', evidence: ASSUMED }),
  muteDays: intCoef(1, 365, 7, 'Days a mute lasts.', { unit: 'days', evidence: ASSUMED }),
});

const Response = block({
  targetHours: num(0, 10000).nullable().default(4).describe('The service level the manager aims for, in hours: they look at the queue at least this often in their working window and answer oldest first; null for never. Whether answers arrive within it emerges from the questions against the hours left for answering (seeds: "silence when asked is the worst tone").'),
  welcomeNewcomers: bool().default(false).describe('Reply to every newcomer\'s first post (Joyce & Kraut 2006: a reply to the first post keeps newcomers).'),
  checkFloorHours: coef(0.05, 24, 0.25, 'Shortest time between two looks at the queue, however short the target.', { unit: 'hours', evidence: 'assumption' }),
  leaderAttach: coef(0, 1, 0.08, 'Attachment to the leader an answered or welcomed member gains, per unit of leader visibility.', { unit: 'attachment', evidence: 'seeds: people attach to a living person first' }),
  floodGiveUp: coef(0, 1, 0.1, 'Share of the senders of unanswered direct messages (a festival\'s flood) who give up each day.', { unit: 'share per day', evidence: 'assumption' }),
});

const Contests = block({
  perMonth: num(0, 30).default(0).describe('Contests or challenges started a month: a burst of posting and newcomers, ties among participants, some competitive friction. Each costs two hours to run and one to judge.'),
  durationDays: int(1, 60).default(7).describe('How long a contest runs.'),
  startHours: coef(0, 24, 2, 'Manager hours to prepare and start a contest; saved up over the days before when a day lacks them.', { unit: 'hours per contest', evidence: ASSUMED }),
  judgeHours: coef(0, 24, 1, 'Manager hours to judge a contest on its last day.', { unit: 'hours per contest', evidence: ASSUMED }),
  maxRunning: intCoef(1, 30, 2, 'Most contests whose effects add up on one day (members cannot enter more).', { unit: 'contests', evidence: ASSUMED }),
  postBoost: coef(0, 10, 0.5, 'Posting multiplier each running contest adds (bursts of participation).', { unit: 'x posting rate per contest', evidence: `${SEEDS}: bursts of participation` }),
  visitBoost: coef(0, 10, 0.35, 'Visit log-odds each running contest adds for every member.', { unit: 'log-odds per contest', evidence: SEEDS }),
  friction: coef(0, 10, 0.25, 'Toxicity log-odds each running contest adds to every toxic act (competitive friction).', { unit: 'log-odds per contest', evidence: ASSUMED }),
  fresh: coef(0, 1, 0.3, 'Fresh content each running contest adds to the day.', { unit: 'share of a full day per contest', evidence: ASSUMED }),
  freshQuality: coef(0, 1, 0.5, 'Quality of a contest\'s fresh content.', { unit: 'quality', evidence: ASSUMED }),
  newcomersBase: coef(0, 1000, 0.3, 'Newcomers a day a running contest draws from outside, plus newcomersPerVisitor per visitor of yesterday (entrants spread the word).', { unit: 'newcomers per day', evidence: SEEDS }),
  newcomersPerVisitor: coef(0, 1, 0.012, 'See newcomersBase.', { unit: 'newcomers per day per visitor', evidence: ASSUMED }),
  entrantTie: coef(0, 1, 0.08, 'Tie weight between two entrants of the same contest day (cohesion among participants).', { unit: 'tie weight', evidence: `${SEEDS}: cohesion` }),
  winners: intCoef(0, 100, 3, 'Winners of a contest.', { unit: 'members', evidence: ASSUMED }),
  winnerDraws: intCoef(1, 1000, 8, 'Entrants compared for each prize (the best by expertise x activity wins): how much skill decides.', { unit: 'members', evidence: ASSUMED }),
  winSatisfaction: coef(0, 1, 0.1, 'Satisfaction a winner gains (a chance to show one\'s skills).', { unit: 'satisfaction per win', evidence: SEEDS }),
  winIdentity: coef(0, 1, 0.05, 'Identity a winner gains.', { unit: 'identity per win', evidence: ASSUMED }),
});

const Events = block({
  perMonth: num(0, 30).default(0).describe('Events a month (meetups, courtyard gatherings): attendees form strong ties and gain attachment (seeds). Each costs the manager three hours.'),
  capacity: int(1, 100000).default(30).describe('Attendees per event.'),
  offline: bool().default(true).describe('Offline events build stronger ties but move some interaction off the platform for the day.'),
  prepHours: coef(0, 100, 3, 'Manager hours to prepare and hold one event; saved up over the days before the event when a day lacks them, as a manager prepares over a week.', { unit: 'hours per event', evidence: ASSUMED }),
  comeBase: coef(0, 1, 0.1, 'Chance a member asked comes: comeBase + comeSatisfaction x satisfaction x (1 - comeIdentity + comeIdentity x identity).', { unit: 'probability', evidence: ASSUMED }),
  comeSatisfaction: coef(0, 1, 0.7, 'See comeBase.', { unit: 'probability per unit satisfaction', evidence: ASSUMED }),
  comeIdentity: coef(0, 1, 0.5, 'See comeBase: how much identity with the community decides who comes.', { unit: 'share', evidence: ASSUMED }),
  asksPerSeat: intCoef(1, 1000, 6, 'Members asked per seat before the manager gives up filling the room.', { unit: 'asks per seat', evidence: ASSUMED }),
  tiesPerAttendee: intCoef(0, 100, 4, 'Other attendees each attendee forms a tie with.', { unit: 'ties', evidence: `${SEEDS}: strong ties (courtyards, meetups)` }),
  tieOffline: coef(0, 1, 0.6, 'Weight of a tie formed at an offline event.', { unit: 'tie weight', evidence: SEEDS }),
  tieOnline: coef(0, 1, 0.25, 'Weight of a tie formed at an online event.', { unit: 'tie weight', evidence: ASSUMED }),
  satisfaction: coef(0, 1, 0.06, 'Satisfaction an attendee of an offline event gains (online: x onlineGain).', { unit: 'satisfaction per event', evidence: ASSUMED }),
  identity: coef(0, 1, 0.1, 'Identity an attendee of an offline event gains (a sense of belonging; online: x onlineGain).', { unit: 'identity per event', evidence: `${SEEDS}: a sense of belonging` }),
  leader: coef(0, 1, 0.1, 'Attachment to the manager an attendee of an offline event gains (online: x onlineGain), while a manager is present.', { unit: 'attachment per event', evidence: ASSUMED }),
  onlineGain: coef(0, 1, 0.5, 'Factor on an attendee\'s gains and guests at an online event.', { unit: 'factor', evidence: ASSUMED }),
  offlineMax: coef(0, 1, 0.5, 'Largest share of the day\'s interaction an offline event moves off the platform.', { unit: 'share', evidence: ASSUMED }),
  onlineVisit: coef(0, 10, 0.3, 'Visit log-odds an online event adds for every member that day.', { unit: 'log-odds', evidence: ASSUMED }),
  guests: coef(0, 10, 0.06, 'Guests per attendee of an offline event who join, as the attendee\'s referrals (online: x onlineGain).', { unit: 'newcomers per attendee', evidence: 'MODEL.md step 1: spikes of arrivals from events; assumption for the size' }),
});

const Leader = block({
  personalShare: num(0, 1).default(0.3).describe('Share of the manager\'s comments made from a personal profile: members attach to a living person first, then to the brand (seeds: at least half should be personal). Keeping the profile alive costs up to half an hour a day.'),
  profileHours: coef(0, 24, 0.5, 'Manager hours a day a fully personal presence takes (x personalShare); fewer hours, less visibility.', { unit: 'hours per day', evidence: ASSUMED }),
  fullPresenceHours: coef(0, 24, 2, 'Manager hours a day (manager.hoursPerDay) from which the manager is visible enough to be attached to; below, visibility falls in proportion.', { unit: 'hours per day', evidence: ASSUMED }),
  gain: coef(0, 1, 0.02, 'Leader attachment a visitor gains per visit at full visibility (x (1 - attachment)).', { unit: 'attachment per visit', evidence: `${SEEDS}: people attach to a living person first` }),
  decay: coef(0, 1, 0.006, 'Share of leader attachment lost each day.', { unit: 'share per day', evidence: ASSUMED }),
  decayAbsent: coef(1, 100, 4, 'Factor on the decay while nobody leads (the leader left).', { unit: 'factor', evidence: ASSUMED }),
  toxicBrake: coef(0, 10, 0.8, 'Toxicity log-odds a fully attached member loses at full visibility (x attachment x visibility).', { unit: 'log-odds', evidence: ASSUMED }),
  carry: coef(0, 1, 0.01, 'Identity with the community a visitor gains per unit of leader attachment at full visibility: the person carries to the community.', { unit: 'identity per visit', evidence: `${SEEDS}: then to the brand` }),
  firstAttach: coef(0, 1, 0.05, 'Extra attachment a visiting newcomer forms per unit of visibility (x (1 - attachment)): a person is what they attach to first.', { unit: 'attachment per visit', evidence: SEEDS }),
});

const Acquisition = block({
  adsPerDay: num(0, 1_000_000).default(0).describe('Newcomers bought per day through ads and PR, with diminishing returns; bought newcomers are less aligned with the values. Running the campaign costs a quarter hour a day.'),
  adsSaturation: num(1, 1_000_000).default(200).describe('Scale of the diminishing returns: arrivals = saturation x (1 - exp(-adsPerDay / saturation)).'),
  referralIncentive: num(0, 10).default(0).describe('Extra referral rate from incentives (0 = none, 1 = double); referred newcomers are better aligned. Each reward costs the manager three minutes.'),
  campaignHours: coef(0, 24, 0.25, 'Manager hours a day to run an ad campaign (adsPerDay above 0).', { unit: 'hours per day', evidence: ASSUMED }),
  rewardMinutes: coef(0, 600, 3, 'Manager minutes to hand out one referral reward (referralIncentive above 0).', { unit: 'minutes per referral', evidence: ASSUMED }),
});

const Values = block({
  clarity: num(0, 1).default(0.5).describe('Firmness on sensitive topics: fewer disputes (value-conflict toxicity), and members misaligned with the values leave sooner (seeds). Holding the stance costs about an hour a week at full clarity, more when misaligned members visit.'),
  conflict: coef(0, 10, 1.2, 'Toxicity log-odds per unit of misfit (1 - alignment) when the values are not stated at all (x (1 - clarity)).', { unit: 'log-odds per unit misfit', evidence: `${SEEDS}: fewer disputes` }),
  misfitBelow: coef(0.01, 1, 0.4, 'Alignment below which a member is at odds with the values.', { unit: 'alignment', evidence: ASSUMED }),
  misfitCost: coef(0, 1, 0.02, 'Satisfaction a member aligned below misfitBelow loses each day at full clarity, per unit of (misfitBelow - alignment) / misfitBelow.', { unit: 'satisfaction per day', evidence: `${SEEDS}: those who cannot accept it were not the audience` }),
  hoursPerWeek: coef(0, 168, 1, 'Manager hours a week holding the stance takes at full clarity (x clarity).', { unit: 'hours per week', evidence: ASSUMED }),
  minutesPerMisfit: coef(0, 600, 0.5, 'Manager minutes per misaligned visitor of yesterday (a dispute to answer), at full clarity.', { unit: 'minutes per visitor', evidence: ASSUMED }),
});

const Policies = block({
  rubrics: Rubrics.prefault({}),
  experts: Experts.prefault({}),
  moderation: Moderation.prefault({}),
  response: Response.prefault({}),
  contests: Contests.prefault({}),
  events: Events.prefault({}),
  leader: Leader.prefault({}),
  acquisition: Acquisition.prefault({}),
  values: Values.prefault({}),
});

// ---------------------------------------------------------------------------------------------
// Shocks and the schedule

const day = () => int(0, 100_000);

const Shock = z.discriminatedUnion('type', [
  block({
    type: z.literal('troll-raid'),
    day: day(),
    size: int(1, 1_000_000).default(30).describe('Trolls who join at once; they come to post (three times as active).'),
    durationDays: int(1, 365).default(7).describe('How long the raid lasts; then raiders leave unless they settled (more likely where toxicity surrounds them).'),
    activity: coef(1, 100, 3, 'Activity multiplier of a raider while the raid lasts (they come to post).', { unit: 'factor', evidence: ASSUMED }),
    visitBoost: coef(0, 20, 2.5, 'Visit log-odds a raider adds while the raid lasts.', { unit: 'log-odds', evidence: ASSUMED }),
    settleExposure: coef(0, 10, 0.8, 'A raider settles (stays) at the end with chance settleExposure x toxicity exposure + satisfaction above settleAbove, at most settleMax.', { unit: 'probability per unit exposure', evidence: `${SEEDS}: trolls settle in where trolling is the norm` }),
    settleAbove: coef(0, 1, 0.5, 'See settleExposure.', { unit: 'satisfaction', evidence: ASSUMED }),
    settleMax: coef(0, 1, 0.6, 'See settleExposure.', { unit: 'probability', evidence: ASSUMED }),
  }),
  block({
    type: z.literal('manager-incident'),
    day: day(),
    kind: oneOf(['aggression', 'misinformation'] as const).default('aggression').describe('aggression: toward the audience, which also sets a toxic tone for a week; misinformation: unverified information, which also costs two hours of corrections.'),
    severity: num(0, 1).default(0.5).describe('Trust lost by members who see it (seeds: aggression toward the audience, unverified information).'),
    seenDays: intCoef(0, 365, 7, 'Members who visited in this many days before the incident see it.', { unit: 'days', evidence: ASSUMED }),
    aggressionDays: intCoef(1, 365, 7, 'Days an aggressive outburst sets the tone (its friction fades linearly over them).', { unit: 'days', evidence: ASSUMED }),
    aggressionFriction: coef(0, 10, 0.8, 'Toxicity log-odds an aggressive outburst adds on its day, x severity, fading to 0 over aggressionDays.', { unit: 'log-odds', evidence: `${SEEDS}: aggression toward the audience` }),
    correctionHours: coef(0, 24, 2, 'Manager hours correcting misinformation on the day it comes out (booked as answering).', { unit: 'hours', evidence: ASSUMED }),
    satisfactionLoss: coef(0, 1, 0.3, 'Satisfaction a member who sees the incident loses, x severity x (attachedBase + attachment to the leader): the more attached, the harder the fall.', { unit: 'satisfaction', evidence: `${SEEDS}: aggression toward the audience, unverified information` }),
    attachedBase: coef(0, 5, 0.5, 'See satisfactionLoss.', { unit: 'attachment', evidence: ASSUMED }),
  }),
  block({
    type: z.literal('leader-leaves'),
    day: day(),
    replacementAfterDays: int(0, 100_000).nullable().default(30).describe('Days until a replacement manager arrives (null: never); meanwhile nobody answers, moderates or runs the levers that take the manager\'s hours, and members\' attachment to the leader fades.'),
    attachmentKept: coef(0, 1, 0.3, 'Share of their attachment to the leader members keep when a new manager replaces the one who left (a new person).', { unit: 'share', evidence: `${SEEDS}: people attach to a living person` }),
  }),
  block({
    type: z.literal('festival'),
    day: day(),
    messages: int(0, 10_000_000).default(3500).describe('Direct messages that flood the manager (seeds: more than 3,500 after one festival); answered oldest first before questions, a tenth of the rest give up each day.'),
    durationDays: int(1, 60).default(3).describe('Days over which the messages arrive (the festival also draws visits).'),
    buzz: coef(0, 10, 0.4, 'Visit log-odds the festival adds for every member while it runs.', { unit: 'log-odds', evidence: ASSUMED }),
  }),
  block({
    type: z.literal('viral-spike'),
    day: day(),
    newcomers: int(0, 10_000_000).default(500).describe('Newcomers arriving in the wave; tourists who visit less than organic newcomers.'),
    durationDays: int(1, 60).default(3).describe('Days over which they arrive, in equal parts.'),
    visitPenalty: coef(0, 20, 0.7, 'Visit log-odds a viral newcomer has below an organic one (a tourist).', { unit: 'log-odds', evidence: ASSUMED }),
  }),
], { error: () => 'expected a shock with type "troll-raid", "manager-incident", "leader-leaves", "festival" or "viral-spike"' });

// The outside calendar (engine/calendar.ts): breaks in a community's life that come from outside
// it (a term that ends, holidays, a platform outage, a season). Each break is a fixed block of
// plain numbers rather than a list entry, so that `--set`, sweeps and a fit's priors reach it by a
// dotted path (calendar.break.start) and a fit can place a break it is not told about.

const CALENDAR_EVIDENCE = 'Burr & Spennemann 2004 (Int. J. of Instructional Technology and Distance Learning 1(10)): the use of 2,000 university forums over four years follows the study sessions and falls between them; assumption for the size';

const Break = (which: string) => block({
  start: coef(0, 100_000, 0, `Run day ${which} begins (day 1 is the first simulated day; in a fit, observed day k is run day k + 1); a fractional day begins at the next whole day, so a fit can place it with a uniform prior.`, { unit: 'day', evidence: CALENDAR_EVIDENCE }),
  days: coef(0, 100_000, 0, `Length of ${which}: it covers the run days d with start <= d < start + days (0: no break, the default; a fraction counts as the whole days it covers).`, { unit: 'days', evidence: CALENDAR_EVIDENCE }),
  visits: coef(0, 10, 0.25, `Factor on every member's chance of a visit each day of ${which}, and on the newcomers who find the community or are brought by a friend (outsiders keep the same calendar): 0 is an outage, 0.25 a term break, above 1 a busy season (a chance capped at a sure visit). Posts, replies and answers fall with the visits; habits fade and the away penalty grows meanwhile, so activity comes back after the break, but not all of it.`, { unit: 'factor on the daily visit probability', evidence: CALENDAR_EVIDENCE }),
});

const Calendar = block({
  break: Break('the break').prefault({}),
  second: Break('a second break').prefault({}),
}).describe('The outside calendar: up to two breaks in which every member visits less (or more) often, whatever happens inside the community. Where they overlap, their factors multiply (a short outage inside a long summer).');

const ScheduleEntry = block({
  day: day().describe('Day from which the change applies.'),
  set: z.record(z.string(), z.unknown(), { error: (iss) => `expected an object of "path": value, got ${show(iss.input)}` }).describe('Scenario paths and their new values, e.g. { "policies.moderation.strictness": 0 }.'),
});

// Business yardsticks and the member survey (MODEL.md "Business yardsticks"; engine/agents/business.ts)

const Business = block({
  customerShare: coef(0, 1, 0.3, 'Share of members who are already the brand\'s customers when they join (initial members and newcomers alike).', { unit: 'share', evidence: ASSUMED }),
  conversion: coef(0, 1, 0.004, 'Daily chance that a fully satisfied member who is not yet a customer, visiting today, buys for the first time: conversion x (satisfaction - satisfiedAbove) / (1 - satisfiedAbove) x (1 + identityWeight x identity). 0 turns conversion off.', { unit: 'probability per visit', evidence: `${SEEDS}: conversion of community members into buyers; assumption for the size` }),
  satisfiedAbove: coef(0, 0.99, 0.6, 'Satisfaction above which a member counts as satisfied: may convert, and (a customer) recommends the brand.', { unit: 'satisfaction', evidence: 'as behaviour.referrals.fromSatisfaction (seeds: satisfied customers recommend)' }),
  identityWeight: coef(0, 10, 1, 'How much identity with the community multiplies the chance to convert (see conversion).', { unit: 'factor per unit identity', evidence: `${SEEDS}: shared values and belonging tie buyers to a brand (64%); assumption for the size` }),
  memberSpendUplift: coef(0, 10, 0.19, 'Extra spend of a customer who is an active member (visited in the last 30 days) over a customer outside the community; lapsed accounts spend as other customers.', { unit: 'share of a non-member customer\'s spend', evidence: `${SEEDS}: members spend 19% more than other customers` }),
  recommendShare: coef(0, 1, 0.78, 'Share of satisfied customers who recommend the brand (each month, at recommendPerMonth recommendations each).', { unit: 'share', evidence: `${SEEDS}: 78% of satisfied customers recommend the brand` }),
  recommendPerMonth: coef(0, 100, 1, 'Recommendations a month a recommending customer makes.', { unit: 'recommendations per month', evidence: ASSUMED }),
}).describe('Business yardsticks: members who are customers, conversion of satisfied members, their spend, recommendations of the brand (engine/agents/business.ts). Recommendations are of the brand to people outside; they do not bring newcomers to the community (behaviour.referrals does).');

const Surveys = block({
  perMonth: num(0, 30).default(1).describe('Member surveys a month (0 = none), spread evenly: each asks every member on the rolls for a 0-10 "would you recommend" score, giving the NPS of those who answer.'),
  responseRate: coef(0, 1, 0.2, 'Chance a member of middling satisfaction (0.5) who visited in the last 30 days answers a survey.', { unit: 'probability', evidence: ASSUMED }),
  satisfactionBias: coef(0, 1, 0.6, 'Non-response that depends on satisfaction: the chance to answer is responseRate x (1 - satisfactionBias + 2 x satisfactionBias x satisfaction), so unhappy members answer less. 0 = everyone equally likely.', { unit: 'share', evidence: 'assumption (survey non-response: the satisfied answer more)' }),
  lapsedResponse: coef(0, 1, 0.3, 'Factor on the chance to answer of a member who has not visited in the last 30 days (a lapsed account rarely opens the survey).', { unit: 'factor', evidence: ASSUMED }),
  scoreAt0: coef(0, 10, 1, 'Expected 0-10 score of a member at satisfaction 0; the score is linear in satisfaction up to scoreAt1, plus noise, rounded and clipped to 0-10.', { unit: 'score', evidence: ASSUMED }),
  scoreAt1: coef(0, 10, 10, 'Expected 0-10 score of a member at satisfaction 1.', { unit: 'score', evidence: ASSUMED }),
  scoreNoise: coef(0, 10, 1.2, 'Sd of a respondent\'s score around its expectation (mood, wording).', { unit: 'score', evidence: ASSUMED }),
}).describe('A simulated member survey (engine/agents/business.ts): who answers depends on satisfaction and recent visits, so the measured NPS is the respondents\', not the community\'s.');

const Metrics = block({
  graphEvery: int(0, 100_000).default(90).describe('Compute graph metrics (density, clustering, modularity, k-core) every this many days; 0 = never.'),
  graphSample: int(10, 1_000_000).default(500).describe('Largest number of members the graph metrics look at (a random sample beyond that).'),
});

export const ScenarioSchema = block({
  $schema: z.string().optional().describe('JSON Schema of this file, for editors (`community-sim schema > scenario.schema.json`); ignored by the engine.'),
  name: z.string().optional().describe('Short name of the scenario.'),
  description: z.string().optional().describe('What community this scenario stands for.'),
  seed: int(0, 2 ** 32 - 1).default(1).describe('Run seed: the same scenario and seed give the same numbers, bit for bit.'),
  days: int(1, 36500).default(365).describe('Days to simulate (one tick is one day).'),
  population: Population.prefault({}),
  behaviour: Behaviour.prefault({}),
  manager: Manager.prefault({}),
  policies: Policies.prefault({}),
  schedule: z.array(ScheduleEntry).default([]).describe('Changes of any manager or policy parameter on a given day. An entry after the last day never happens.'),
  shocks: z.array(Shock).default([]).describe('Scheduled shocks: troll raids, manager incidents, the leader leaving, festivals, viral spikes. A shock after the last day never happens.'),
  calendar: Calendar.prefault({}),
  business: Business.prefault({}),
  surveys: Surveys.prefault({}),
  metrics: Metrics.prefault({}),
});

/** A validated scenario with every default filled in. */
export type Scenario = z.infer<typeof ScenarioSchema>;
/** What a scenario file may contain (everything optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Shock = Scenario['shocks'][number];

// ---------------------------------------------------------------------------------------------
// Parsing with field-path errors

/** One problem with a scenario: the dotted field path and what was expected. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Thrown for invalid scenarios; `message` is one line per issue, `path: what was expected`. */
export class ScenarioError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
    this.name = 'ScenarioError';
  }
}

/** Joins a zod path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.flatMap((iss): FieldIssue[] => {
    if (iss.code === 'unrecognized_keys') {
      // Name the unknown key itself, so `--set policies.moderation.strictnes=1` points at it.
      return iss.keys.map((k) => ({ path: formatPath([...(prefix ? [prefix] : []), ...iss.path, k]), message: 'unknown field' }));
    }
    let message = iss.message;
    if (iss.code === 'invalid_type' && message.startsWith('Invalid input')) {
      message = `expected ${iss.expected}, got ${show((iss as { input?: unknown }).input)}`;
    }
    if (iss.code === 'invalid_union') {
      // An object that fits one form of a union by its keys (population.graph with generator
      // fields) but has a bad value: name the field inside that form, not the whole union.
      const fits = ((iss as { errors?: z.core.$ZodIssue[][] }).errors ?? []).filter((errs) => errs.every((e) => e.code !== 'unrecognized_keys' && !(e.code === 'invalid_type' && e.path.length > 0 && e.input === undefined)));
      if (fits.length === 1 && fits[0].length) {
        return issuesOf(new z.ZodError(fits[0].map((e) => ({ ...e, path: [...iss.path, ...e.path] }))), prefix);
      }
      if (message === 'Invalid input') message = 'expected a valid value';
    }
    const p = formatPath(iss.path);
    return [{ path: prefix && p ? `${prefix}.${p}` : prefix || p, message }];
  });
}

/** Paths a schedule may change: what the manager controls and the inflow of newcomers. */
const SCHEDULABLE = /^(manager|policies|behaviour)\.|^population\.organicPerDay$/;
const NOT_SCHEDULABLE = 'expected a path inside manager, policies or behaviour (such as policies.moderation.strictness), or population.organicPerDay';

/**
 * Validates raw input (a parsed JSON file, `{}` included) into a Scenario, or throws a
 * ScenarioError naming every bad field. Each schedule entry's value is checked against the field
 * its path names (compiled once a path, `fieldSetter`), so a schedule cannot smuggle in a bad
 * value, and checking it costs time linear in its length.
 */
export function parseScenario(input: unknown): Scenario {
  // reportInput: a wrong type names what it got ("shocks: expected array, got {...}", not "got nothing").
  const r = ScenarioSchema.safeParse(input, { reportInput: true });
  if (!r.success) throw new ScenarioError(issuesOf(r.error));
  const scenario = r.data;
  const issues: FieldIssue[] = [];
  compileSchedule(scenario, issues);
  if (issues.length) throw new ScenarioError(issues);
  return scenario;
}

/** One change of a schedule, checked, with the function that makes it. */
export interface ScheduledChange {
  path: string;
  /** The value as the schedule gives it (for the log). */
  value: unknown;
  /** `scenario` with the change made: a new object; only the objects on the path are copied. */
  apply(scenario: Scenario): Scenario;
}

/**
 * A validated scenario's schedule as its changes by day, in file order within a day. Compiled
 * once when a run starts, so applying a day's changes costs only those changes (re-validating the
 * whole scenario at each entry made a 1,000-entry schedule take 100 s).
 */
export function planSchedule(scenario: Scenario): Map<number, ScheduledChange[]> {
  const issues: FieldIssue[] = [];
  const plan = compileSchedule(scenario, issues);
  if (issues.length) throw new ScenarioError(issues);
  return plan;
}

function compileSchedule(scenario: Scenario, issues: FieldIssue[]): Map<number, ScheduledChange[]> {
  const plan = new Map<number, ScheduledChange[]>();
  const setters = new Map<string, FieldSetter | FieldIssue[]>();
  // Without the schedule: a setter that must re-validate (a union or a refinement on its path)
  // parses its result, which would check the schedule again.
  const bare = { ...scenario, schedule: [] };
  scenario.schedule.forEach((entry, i) => {
    for (const [path, value] of Object.entries(entry.set)) {
      const where = `schedule[${i}].set.${path}`;
      let setter = setters.get(path);
      if (!setter) {
        try {
          if (!SCHEDULABLE.test(path)) throw new ScenarioError([{ path, message: NOT_SCHEDULABLE }]);
          setter = fieldSetter(bare, path);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          setter = e.issues.map((iss) => ({ path: '', message: iss.message }));
        }
        setters.set(path, setter);
      }
      if (Array.isArray(setter)) {
        for (const iss of setter) issues.push({ path: where, message: iss.message });
        continue;
      }
      const change = setter.change(value, where, issues, bare);
      if (!change) continue;
      const day = plan.get(entry.day);
      if (day) day.push(change);
      else plan.set(entry.day, [change]);
    }
  });
  return plan;
}

/** A dotted path resolved against the schema once: how to check a value for it and set it. */
interface FieldSetter {
  change(value: unknown, where: string, issues: FieldIssue[], bare: Scenario): ScheduledChange | null;
}

/**
 * The setter of the field at `path` (throws a ScenarioError like withPath for a path that names
 * no field). Where the path crosses no union and no refinement of a whole object, a value is
 * checked by the field's own schema alone and set by copying the objects along the path; anywhere
 * else the result is validated whole (withPath), as before.
 */
function fieldSetter(scenario: Scenario, path: string): FieldSetter {
  const keys = checkedKeys(path);
  let node: unknown = scenario;
  let schema: z.ZodType = ScenarioSchema;
  let exact = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (unionOptions(schema) || hasChecks(schema)) exact = false;
    const shape = shapeFor(schema, node, k);
    if (!shape || !Object.hasOwn(shape, k)) {
      throw new ScenarioError([{ path: keys.slice(0, i + 1).join('.'), message: missingField(schema, shape, k, keys.slice(0, i).join('.')) }]);
    }
    schema = shape[k] as z.ZodType;
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
  }
  const leaf = schema;
  return {
    change(value, where, issues, bare) {
      if (!exact) {
        try {
          withPath(bare, path, value);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          for (const iss of e.issues) issues.push({ path: where, message: iss.message });
          return null;
        }
        return { path, value, apply: (s) => ({ ...withPath({ ...s, schedule: [] }, path, value), schedule: s.schedule }) };
      }
      const r = leaf.safeParse(value);
      if (!r.success) {
        issues.push(...issuesOf(r.error, where));
        return null;
      }
      const parsed = r.data;
      return { path, value, apply: (s) => setIn(s, keys, 0, parsed) as Scenario };
    },
  };
}

function setIn(node: unknown, keys: string[], i: number, value: unknown): unknown {
  const copy = { ...(node as Record<string, unknown>) };
  copy[keys[i]] = i === keys.length - 1 ? value : setIn(copy[keys[i]], keys, i + 1, value);
  return copy;
}

/** True when a schema (behind its wrappers) refines the value as a whole (`.refine`). */
function hasChecks(schema: z.ZodType): boolean {
  let s: z.ZodType = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(s) as SchemaDef & { checks?: unknown[] };
    if (def.checks?.length) return true;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return false;
  }
  return false;
}

/** Like parseScenario, but returns the issues instead of throwing. */
export function checkScenario(input: unknown): { ok: true; scenario: Scenario } | { ok: false; issues: FieldIssue[] } {
  try {
    return { ok: true, scenario: parseScenario(input) };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, issues: e.issues };
    throw e;
  }
}

/**
 * Returns a new validated scenario with the field at a dotted `path` replaced by `value`.
 * Unknown paths are rejected by name (`policies.moderation.strictnes: unknown field`). A path
 * walks into a union of objects (`population.graph.meanDegree`) through the form the current
 * value has; a field of another form is rejected, naming the form to set as a whole instead.
 */
export function withPath(scenario: ScenarioInput | Scenario, path: string, value: unknown): Scenario {
  const keys = checkedKeys(path);
  const copy = structuredClone(scenario) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  let schema: z.ZodType = ScenarioSchema;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const shape = shapeFor(schema, node, k);
    // Own keys only: `in` also sees inherited names (toString, hasOwnProperty), which are no fields.
    if (!shape || !Object.hasOwn(shape, k)) {
      const at = keys.slice(0, i + 1).join('.');
      throw new ScenarioError([{ path: at, message: missingField(schema, shape, k, keys.slice(0, i).join('.')) }]);
    }
    schema = shape[k] as z.ZodType;
    if (i === keys.length - 1) node[k] = value;
    else {
      const next = node[k];
      node[k] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
      node = node[k] as Record<string, unknown>;
    }
  }
  return parseScenario(copy);
}

function checkedKeys(path: string): string[] {
  const keys = path.split('.');
  if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype')) {
    throw new ScenarioError([{ path, message: 'expected a dotted field path such as policies.moderation.strictness' }]);
  }
  return keys;
}

/** The shape `key` is looked up in: the object's, or for a union the form the value has. */
function shapeFor(schema: z.ZodType, node: unknown, key: string): Record<string, z.ZodType> | null {
  // a value in no form of a union (a bad field inside it): walk the form that has the key,
  // and let parsing name what is wrong with the value
  return objectShape(schema, node) ?? (unionOptions(schema)?.map((o) => objectShape(o)).find((f) => f && Object.hasOwn(f, key)) ?? null);
}

/** Why `key` is not a field of `schema` (whose current shape is `shape`), for withPath's error. */
function missingField(schema: z.ZodType, shape: Record<string, z.ZodType> | null, key: string, parent: string): string {
  const forms = (unionOptions(schema) ?? []).map((o) => objectShape(o)).filter((f) => f !== null);
  const form = (f: Record<string, z.ZodType>) => `{ ${Object.keys(f).join(', ')} }`;
  const other = forms.find((f) => Object.hasOwn(f, key));
  if (other && shape) {
    // Not "unknown field": the path exists, in a form the value does not have now.
    return `not a field of ${parent} in its current form ${form(shape)}; "${key}" belongs to the form ${form(other)}: set ${parent} as a whole to switch`;
  }
  if (!shape) return 'not an object field';
  const known = forms.length ? [...new Set(forms.flatMap((f) => Object.keys(f)))] : Object.keys(shape);
  return `unknown field (known: ${known.join(', ')})`;
}

type SchemaDef = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; in?: z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The options of a union behind defaults, descriptions and refinements, or null for non-unions. */
export function unionOptions(schema: z.ZodType): z.ZodType[] | null {
  let s: z.ZodType = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(s);
    if (def.type === 'union' && def.options) return def.options;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return null;
  }
  return null;
}

/**
 * The object shape behind defaults, descriptions and refinements, or null for non-objects. For a
 * union of objects (`population.graph`), the shape of the form `value` has: the first option
 * that accepts it, where a missing value is `{}` (the default form); null when none does.
 */
export function objectShape(schema: z.ZodType, value?: unknown): Record<string, z.ZodType> | null {
  let s: z.ZodType = schema;
  for (let guard = 0; guard < 20; guard++) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) return def.shape;
    if (def.type === 'union' && def.options) {
      const v = value ?? {};
      const branch = def.options.find((o) => o.safeParse(v).success);
      if (!branch) return null;
      s = branch;
    } else if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return null;
  }
  return null;
}

/** The JSON Schema of scenario files, for editors (`community-sim schema`). */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { properties: Record<string, unknown> };
  // `extends` is resolved by whoever reads the file (the CLI's loader, the page's Open), before
  // validation, so it is no field of the scenario itself; editors must still accept it.
  schema.properties = {
    extends: { type: 'string', minLength: 1, description: 'A preset name or a scenario file (relative to this one) to start from: its fields are read first and this file\'s merged into them, objects field by field, while a value, a list or null replaces. In the browser, presets only.' },
    ...schema.properties,
  };
  return schema;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `over` merged into `base` (what `extends` does): objects field by field, anything else (a value, a list, null) replaces. */
export function mergeScenario(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeScenario(base[k], v) : v;
  return out;
}

/** Reads a value at a dotted path of a scenario (undefined when absent). */
export function getPath(scenario: unknown, path: string): unknown {
  let node: unknown = scenario;
  for (const k of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}
