/**
 * The lever panel, the schedule editor and the shocks editor, all drawn from the schema
 * descriptions of viz/levers.ts: a slider (with a number box for exact values) per number, a
 * checkbox per toggle, a select per choice, a "never" box where null is allowed. Each control
 * shows the schema's description as help text.
 */
import { getPath, type Scenario } from '../scenarios/schema.js';
import { leverGroups, shockForms, type LeverControl } from './levers.js';

let uid = 0;
const nextId = (p: string) => `${p}-${++uid}`;

/** The value a lever has on `day`: its base value, overridden by schedule entries up to that day. */
export function leverValueOn(scenario: Scenario, path: string, day: number): unknown {
  let v = getPath(scenario, path);
  for (const e of scenario.schedule) if (e.day <= day && path in e.set) v = e.set[path];
  return v;
}

/** One control for one field; calls `onChange(value)` with a value of the field's type. */
export function fieldControl(c: LeverControl, value: unknown, onChange: (v: unknown) => void): { el: HTMLElement; set: (v: unknown) => void } {
  const row = document.createElement('div');
  row.className = 'lever';
  row.dataset.path = c.path;
  const id = nextId('lever');
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = c.label;
  const help = document.createElement('p');
  help.className = 'help';
  help.id = `${id}-help`;
  help.textContent = c.description;
  row.append(label);
  let set: (v: unknown) => void;
  if (c.kind === 'boolean') {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = id;
    box.setAttribute('aria-describedby', help.id);
    box.addEventListener('change', () => onChange(box.checked));
    set = (v) => (box.checked = Boolean(v));
    label.prepend(box);
    row.classList.add('toggle');
  } else if (c.kind === 'enum') {
    const sel = document.createElement('select');
    sel.id = id;
    sel.setAttribute('aria-describedby', help.id);
    for (const o of c.options) sel.append(new Option(o, o));
    sel.addEventListener('change', () => onChange(sel.value));
    set = (v) => (sel.value = String(v));
    row.append(sel);
  } else {
    const line = document.createElement('div');
    line.className = 'slider-line';
    const range = document.createElement('input');
    range.type = 'range';
    range.id = id;
    range.min = String(c.min);
    range.max = String(c.sliderMax);
    range.step = String(c.step);
    range.setAttribute('aria-describedby', help.id);
    const box = document.createElement('input');
    box.type = 'number';
    box.min = String(c.min);
    if (Number.isFinite(c.max)) box.max = String(c.max);
    box.step = String(c.step);
    box.setAttribute('aria-label', `${c.label} (exact value)`);
    line.append(range, box);
    let never: HTMLInputElement | null = null;
    if (c.nullable) {
      never = document.createElement('input');
      never.type = 'checkbox';
      never.setAttribute('aria-label', `${c.label}: never`);
      const nl = document.createElement('label');
      nl.className = 'never';
      nl.append(never, 'never');
      line.append(nl);
      never.addEventListener('change', () => onChange(never!.checked ? null : Number(box.value)));
    }
    const emit = (text: string) => {
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) return;
      onChange(c.integer ? Math.round(v) : v);
    };
    // Sliders report on release ("change") so dragging does not restart a run on every pixel.
    range.addEventListener('input', () => (box.value = range.value));
    range.addEventListener('change', () => emit(range.value));
    box.addEventListener('change', () => emit(box.value));
    set = (v) => {
      const off = v === null;
      if (never) never.checked = off;
      range.disabled = box.disabled = off;
      if (!off && typeof v === 'number') {
        range.value = String(v);
        box.value = String(v);
      }
    };
    row.append(line);
  }
  row.append(help);
  set(value);
  return { el: row, set };
}

/** The grouped lever panel; `refresh` shows a scenario's values on a given day. */
export function leverPanel(parent: HTMLElement, onChange: (path: string, value: unknown) => void): { refresh: (s: Scenario, day: number) => void } {
  const setters = new Map<string, (v: unknown) => void>();
  for (const g of leverGroups()) {
    const details = document.createElement('details');
    details.className = 'lever-group';
    details.dataset.group = g.id;
    if (g.id === 'moderation') details.open = true;
    const summary = document.createElement('summary');
    summary.textContent = g.title;
    details.append(summary);
    for (const c of g.levers) {
      const ctl = fieldControl(c, c.defaultValue, (v) => onChange(c.path, v));
      setters.set(c.path, ctl.set);
      details.append(ctl.el);
    }
    parent.append(details);
  }
  return {
    refresh(s, day) {
      for (const [path, set] of setters) set(leverValueOn(s, path, day));
    },
  };
}

/** Every lever path, for the schedule editor's choice. */
const allLevers = (): LeverControl[] => leverGroups().flatMap((g) => g.levers);

/** The schedule editor: a list of "on day D set PATH to VALUE" rows plus a form to add one. */
export function scheduleEditor(parent: HTMLElement, onEdit: (schedule: Scenario['schedule']) => void): { refresh: (s: Scenario) => void } {
  const list = document.createElement('ul');
  list.className = 'entries';
  const form = document.createElement('form');
  form.className = 'add-entry';
  const levers = allLevers();
  form.innerHTML = `<label>day <input name="day" type="number" min="0" value="90" required></label>
    <label>lever <select name="path">${levers.map((l) => `<option value="${l.path}">${l.path.replace(/^policies\./, '')}</option>`).join('')}</select></label>
    <label>value <input name="value" required value="0" title="a number, true/false, a choice, or null"></label>
    <button type="submit">Add change</button>`;
  parent.append(list, form);
  let current: Scenario | null = null;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!current) return;
    const data = new FormData(form);
    const raw = String(data.get('value')).trim();
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare word such as most-active stays a string
    }
    const day = Number(data.get('day'));
    const path = String(data.get('path'));
    const schedule = current.schedule.map((x) => ({ day: x.day, set: { ...x.set } }));
    const same = schedule.find((x) => x.day === day);
    if (same) same.set[path] = value;
    else schedule.push({ day, set: { [path]: value } });
    schedule.sort((a, b) => a.day - b.day);
    onEdit(schedule);
  });
  return {
    refresh(s) {
      current = s;
      list.replaceChildren();
      s.schedule.forEach((entry, i) => {
        for (const [path, value] of Object.entries(entry.set)) {
          const li = document.createElement('li');
          li.textContent = `day ${entry.day}: ${path.replace(/^policies\./, '')} = ${JSON.stringify(value)}`;
          const del = document.createElement('button');
          del.type = 'button';
          del.className = 'small';
          del.textContent = 'Remove';
          del.setAttribute('aria-label', `Remove ${li.textContent}`);
          del.addEventListener('click', () => {
            const schedule = s.schedule.map((x) => ({ day: x.day, set: { ...x.set } }));
            delete schedule[i].set[path];
            onEdit(schedule.filter((x) => Object.keys(x.set).length > 0));
          });
          li.append(' ', del);
          list.append(li);
        }
      });
      if (!s.schedule.length) list.innerHTML = '<li class="muted">no scheduled changes</li>';
    },
  };
}

/** The shocks editor: the scenario's shocks, each removable, and a form per shock type to add one. */
export function shocksEditor(parent: HTMLElement, onEdit: (shocks: Scenario['shocks']) => void): { refresh: (s: Scenario) => void } {
  const list = document.createElement('ul');
  list.className = 'entries';
  const forms = shockForms();
  const typeSel = document.createElement('select');
  typeSel.setAttribute('aria-label', 'Shock type');
  for (const f of forms) typeSel.append(new Option(f.type, f.type));
  const fields = document.createElement('div');
  fields.className = 'shock-fields';
  const add = document.createElement('button');
  add.type = 'button';
  add.textContent = 'Add shock';
  const addLine = document.createElement('div');
  addLine.className = 'add-entry';
  addLine.append(typeSel, add);
  parent.append(list, addLine, fields);
  let draft: Record<string, unknown> = {};
  let current: Scenario | null = null;
  const showForm = () => {
    const form = forms.find((f) => f.type === typeSel.value)!;
    draft = { type: form.type };
    fields.replaceChildren();
    for (const c of form.fields) {
      const init = c.path === 'day' ? 60 : c.defaultValue;
      draft[c.path] = init;
      fields.append(fieldControl(c, init, (v) => (draft[c.path] = v)).el);
    }
  };
  typeSel.addEventListener('change', showForm);
  add.addEventListener('click', () => current && onEdit([...current.shocks, { ...draft } as Scenario['shocks'][number]].sort((a, b) => a.day - b.day)));
  showForm();
  return {
    refresh(s) {
      current = s;
      list.replaceChildren();
      s.shocks.forEach((shock, i) => {
        const li = document.createElement('li');
        const { type, day, ...rest } = shock;
        li.textContent = `day ${day}: ${type} ${Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(' ')}`;
        const del = document.createElement('button');
        del.type = 'button';
        del.className = 'small';
        del.textContent = 'Remove';
        del.setAttribute('aria-label', `Remove ${li.textContent}`);
        del.addEventListener('click', () => onEdit(s.shocks.filter((_, j) => j !== i)));
        li.append(' ', del);
        list.append(li);
      });
      if (!s.shocks.length) list.innerHTML = '<li class="muted">no shocks</li>';
    },
  };
}
