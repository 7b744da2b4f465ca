/**
 * Questions and their answers (MODEL.md "Answering and latency", step 5): one model for every
 * answer, from anyone. A question is asked at an hour of the day; members answer the questions of
 * the day they read, some time after they were asked; experts answer at their visit; the manager
 * answers at the checks of the queue the response policy plans in the working window. Every
 * answer is recorded at the time it actually arrives, and a question's response time is the wait
 * until its first answer. Whether a target is met therefore emerges from volume against capacity.
 *
 * Time here is counted in hours since the start of day 0 (day d runs from 24 d to 24 d + 24).
 * Policies say who answers when through the `AnswerDesk` (a channel: the response policy adds the
 * manager's checks, the experts policy today's visiting experts); `answerQuestions` then plays
 * the day's answers in time order. Silence costs satisfaction by the hours a question waits
 * (`behaviour.silenceCost` per day of waiting, charged by the hour), an answer is worth less the
 * longer it took (MODEL.md finding 7), and an unanswered question expires.
 */
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import { NO_DAY } from './members.js';
import { exp, log } from '../numeric.js';
import { grow } from '../grow.js';

/** Open questions, oldest first (a ring buffer): asker ids, the day and the time they were asked. */
export class QuestionQueue {
  ids = new Int32Array(1024);
  days = new Int32Array(1024);
  at = new Float64Array(1024);
  head = 0;
  size = 0;

  push(id: number, day: number, at: number): void {
    if (this.size === this.ids.length) {
      const n = this.ids.length * 2;
      const ids = new Int32Array(n);
      const days = new Int32Array(n);
      const ats = new Float64Array(n);
      for (let i = 0; i < this.size; i++) {
        const j = (this.head + i) % this.ids.length;
        ids[i] = this.ids[j];
        days[i] = this.days[j];
        ats[i] = this.at[j];
      }
      this.ids = ids;
      this.days = days;
      this.at = ats;
      this.head = 0;
    }
    const j = (this.head + this.size) % this.ids.length;
    this.ids[j] = id;
    this.days[j] = day;
    this.at[j] = at;
    this.size++;
  }

  /** Index (0 = oldest) accessors. */
  idAt(i: number): number {
    return this.ids[(this.head + i) % this.ids.length];
  }
  dayAt(i: number): number {
    return this.days[(this.head + i) % this.ids.length];
  }
  timeAt(i: number): number {
    return this.at[(this.head + i) % this.ids.length];
  }

  shift(): void {
    this.head = (this.head + 1) % this.ids.length;
    this.size--;
  }

  /**
   * Sorts the newest `n` entries by the time they were asked (today's questions are pushed in
   * roster order, at random hours), so the whole queue stays in time order. Insertion sort: a
   * day's questions are few, and it allocates nothing.
   */
  sortNewest(n: number): void {
    const cap = this.ids.length;
    const first = this.size - n;
    for (let a = first + 1; a < this.size; a++) {
      const ja = (this.head + a) % cap;
      const id = this.ids[ja];
      const day = this.days[ja];
      const at = this.at[ja];
      let b = a - 1;
      while (b >= first && this.at[(this.head + b) % cap] > at) {
        const from = (this.head + b) % cap;
        const to = (this.head + b + 1) % cap;
        this.ids[to] = this.ids[from];
        this.days[to] = this.days[from];
        this.at[to] = this.at[from];
        b--;
      }
      const to = (this.head + b + 1) % cap;
      this.ids[to] = id;
      this.days[to] = day;
      this.at[to] = at;
    }
  }
}

/**
 * Who answers when today, filled by policies in the answer phase and played by
 * `answerQuestions`: the manager's checks of the queue (a time, the end of the slot until the next
 * check, the wall-clock hours one answer takes within the slot and the working hours it costs),
 * and today's visiting experts (id, visit time). Reset every day.
 */
export class AnswerDesk {
  checkAt: Float64Array = new Float64Array(32);
  checkEnd: Float64Array = new Float64Array(32);
  checks = 0;
  /** Wall-clock hours per manager answer (the answering share of the window stretches it). */
  wallPerAnswer = 0;
  /** Working hours one manager answer costs. */
  hoursPerAnswer = 0;
  /** Leader attachment an asker gains from a manager's answer (times 1 - attachment). */
  managerAttach = 0;
  expertId: Int32Array = new Int32Array(32);
  expertAt: Float64Array = new Float64Array(32);
  experts = 0;
  /** Questions an expert tries per visit, mean hours to write an answer, thanks and tie of an answer. */
  expertTries = 0;
  expertWriteHours = 0;
  expertThanks = 0;
  expertTie = 0;

  reset(): void {
    this.checks = 0;
    this.experts = 0;
  }

  addCheck(at: number, end: number): void {
    if (this.checks === this.checkAt.length) {
      this.checkAt = grow(this.checkAt);
      this.checkEnd = grow(this.checkEnd);
    }
    this.checkAt[this.checks] = at;
    this.checkEnd[this.checks++] = end;
  }

  /** Adds a visiting expert, keeping the list in time order (few a day: insertion). */
  addExpert(id: number, at: number): void {
    if (this.experts === this.expertId.length) {
      this.expertId = grow(this.expertId);
      this.expertAt = grow(this.expertAt);
    }
    let k = this.experts++;
    while (k > 0 && this.expertAt[k - 1] > at) {
      this.expertAt[k] = this.expertAt[k - 1];
      this.expertId[k] = this.expertId[k - 1];
      k--;
    }
    this.expertAt[k] = at;
    this.expertId[k] = id;
  }
}


/** Member `i` asks a question today at `hour` (0-24) of the day. */
export function ask(w: World, i: number, hour: number): void {
  const m = w.members;
  const at = w.day * 24 + hour;
  m.questionDay[i] = w.day;
  m.questionAt[i] = at;
  m.answerAt[i] = Infinity;
  w.queue.push(i, w.day, at);
  w.today.questions++;
  w.lifetime.questions++;
}

/**
 * A member's reply answers `asker`'s question of today: the replier read it at their visit, some
 * time between the question and the end of the day (`u` uniform in [0, 1)). The earliest such
 * answer counts; it arrives in `answerQuestions`, in time order with the manager's and experts'.
 */
export function memberAnswers(w: World, asker: number, u: number): void {
  const m = w.members;
  const asked = m.questionAt[asker];
  const at = asked + u * (w.day * 24 + 24 - asked);
  if (at < m.answerAt[asker]) m.answerAt[asker] = at;
}

/**
 * Closes `asker`'s open question with a first answer arriving at time `at` (hours since day 0):
 * records the response time, the answer's worth to the asker (less after a long wait) and the
 * silence of the hours waited today.
 */
export function closeQuestion(w: World, asker: number, at: number): void {
  const m = w.members;
  const b = w.scenario.behaviour;
  const asked = m.questionAt[asker];
  const hours = at - asked;
  m.questionDay[asker] = NO_DAY;
  m.answerAt[asker] = Infinity;
  const dayStart = w.day * 24;
  const waitedToday = Math.max(0, Math.min(at, dayStart + 24) - Math.max(asked, dayStart));
  m.delta[asker] += b.answers.value * exp(-hours / b.answerPatienceHours) - (b.silenceCost * waitedToday) / 24;
  w.today.answered++;
  w.lifetime.answered++;
  w.today.addResponse(hours);
  const hist = w.lifetime.responseHist;
  hist[Math.min(hist.length - 1, Math.floor(hours * 4))]++;
}

/**
 * Plays the day's answers in time order: at each manager check and each expert's visit, open
 * questions asked before that moment are taken oldest first; a member's answer written before the
 * manager or an expert got to the question is the first answer. Member answers nobody beat arrive
 * last. Then answered and departed askers leave the head of the queue.
 */
export function answerQuestions(w: World, rng: Stream): void {
  const desk = w.desk;
  let c = 0;
  let e = 0;
  while (c < desk.checks || e < desk.experts) {
    if (e >= desk.experts || (c < desk.checks && desk.checkAt[c] <= desk.expertAt[e])) managerCheck(w, desk.checkAt[c], desk.checkEnd[c++]);
    else expertVisit(w, rng, desk.expertId[e], desk.expertAt[e++]);
  }
  const q = w.queue;
  const m = w.members;
  for (let k = q.size - 1; k >= 0 && q.dayAt(k) === w.day; k--) {
    const id = q.idAt(k);
    if (m.questionDay[id] === w.day && m.answerAt[id] < Infinity) closeQuestion(w, id, m.answerAt[id]);
  }
  while (q.size > 0 && m.questionDay[q.idAt(0)] !== q.dayAt(0)) q.shift();
  desk.reset();
}

/** True while entry k of the queue is still its asker's open question. */
function open(w: World, k: number): boolean {
  return w.members.questionDay[w.queue.idAt(k)] === w.queue.dayAt(k);
}

/** The manager checks the queue at `at` and answers oldest first until the slot ends or the hours do. */
function managerCheck(w: World, at: number, end: number): void {
  const q = w.queue;
  const m = w.members;
  const desk = w.desk;
  const mgr = w.manager;
  let cursor = at;
  for (let k = 0; k < q.size; k++) {
    if (!open(w, k)) continue;
    if (q.timeAt(k) >= at) break; // asked after this check (the queue is in time order)
    const id = q.idAt(k);
    const done = cursor + desk.wallPerAnswer;
    if (m.answerAt[id] <= done) {
      closeQuestion(w, id, m.answerAt[id]); // a member answered first
      continue;
    }
    // an answer started before the slot ends is finished (a slow one may run past it)
    if (cursor >= end || mgr.hoursLeft < desk.hoursPerAnswer) break;
    mgr.spend(desk.hoursPerAnswer, Activity.Answering);
    cursor = done;
    closeQuestion(w, id, done);
    m.leader[id] += desk.managerAttach * (1 - m.leader[id]);
  }
}

/** An expert visiting at `at` tries a few open questions not their own, oldest first. */
function expertVisit(w: World, rng: Stream, expert: number, at: number): void {
  const q = w.queue;
  const m = w.members;
  const desk = w.desk;
  let tries = desk.expertTries;
  for (let k = 0; k < q.size && tries > 0; k++) {
    if (!open(w, k)) continue;
    if (q.timeAt(k) >= at) break;
    const id = q.idAt(k);
    if (id === expert) continue;
    if (m.answerAt[id] <= at) {
      closeQuestion(w, id, m.answerAt[id]);
      continue;
    }
    tries--;
    if (rng.next() >= m.expertise[expert]) continue; // beyond this expert
    const done = at + desk.expertWriteHours * -log(1 - rng.next());
    if (m.answerAt[id] <= done) {
      closeQuestion(w, id, m.answerAt[id]);
      continue;
    }
    closeQuestion(w, id, done);
    m.delta[expert] += desk.expertThanks;
    w.ties.strengthen(expert, id, desk.expertTie);
  }
}

/**
 * End of the day for open questions (satisfaction phase): silence costs the hours waited today;
 * a question open `expiryDays` expires unanswered, at an extra cost. Returns the delta for member
 * `i` and updates its question state; called for every present member with an open question.
 */
export function silence(w: World, i: number, silenceCost: number, expiryDays: number, expiryPenaltyDays: number): number {
  const m = w.members;
  const q = m.questionDay[i];
  const dayStart = w.day * 24;
  let d = (-silenceCost * (dayStart + 24 - Math.max(m.questionAt[i], dayStart))) / 24;
  if (w.day - q >= expiryDays) {
    m.questionDay[i] = NO_DAY;
    w.today.expired++;
    d -= expiryPenaltyDays * silenceCost;
  }
  return d;
}
