/**
 * Where and why text is not JSON, said without quoting it. JSON.parse's own messages quote the
 * input (`Unexpected token 'r', "root:x:0:0"... is not valid JSON`), so a path given by mistake,
 * or on purpose (a scenario `base` of /etc/passwd), had the start of that file printed in the
 * error; and V8 gives no position for that kind of error. This scanner finds the first syntax
 * error itself and describes it by its line, column and what was expected. It runs only after
 * JSON.parse has failed, in one pass with an explicit stack (deep nesting cannot overflow it),
 * and uses no Node API, so the browser can say the same.
 */

/** The first syntax error of `text`: its offset (UTF-16 units) and what was expected there; null if it is valid JSON. */
export function jsonSyntaxError(text: string): { offset: number; what: string } | null {
  const n = text.length;
  let i = 0;
  // containers open at i: '{' or '['
  const stack: string[] = [];
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (what: string) => ({ offset: i, what: i >= n ? 'unexpected end of the text' : what });
  const digits = () => {
    const s = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    return i > s;
  };
  /** Reads a string starting at the quote; an error message or null. */
  const string = (): string | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 32) return 'a control character inside a string (write it as an escape such as \\n)';
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            return 'a bad \\u escape inside a string (expected four hex digits)';
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return 'a bad escape inside a string';
        }
      } else i++;
    }
    return 'a string that is never closed';
  };
  /** Reads a value's start: a scalar whole, or a container's opening. An error message or null. */
  const value = (): string | null => {
    ws();
    if (i >= n) return 'expected a value';
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      return null;
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return null;
      }
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else if (!digits()) return 'a number with no digits';
      if (text[i] === '.') {
        i++;
        if (!digits()) return 'a number with no digits after the decimal point';
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!digits()) return 'a number with no digits in its exponent';
      }
      return null;
    }
    return 'expected a value (an object, list, string, number, true, false or null)';
  };
  let err = value();
  if (err) return fail(err);
  // after an opening: the first member or element, or the close; after a value: ',' or the close
  let opened = stack.length > 0;
  while (stack.length) {
    ws();
    const top = stack[stack.length - 1];
    const close = top === '{' ? '}' : ']';
    if (text[i] === close) {
      i++;
      stack.pop();
      opened = false;
      continue;
    }
    if (!opened) {
      if (text[i] !== ',') return fail(`expected ',' or '${close}'`);
      i++;
      ws();
    }
    if (top === '{') {
      if (text[i] !== '"') return fail('expected a property name in double quotes');
      err = string();
      if (err) return fail(err);
      ws();
      if (text[i] !== ':') return fail("expected ':' after a property name");
      i++;
    }
    const depth = stack.length;
    err = value();
    if (err) return fail(err);
    opened = stack.length > depth;
  }
  ws();
  if (i < n) return { offset: i, what: 'unexpected text after the end of the value' };
  return null;
}

/** Line and column (1-based) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * "not valid JSON at line L column C: what was expected", for text JSON.parse refused; never
 * quotes the text (it may be any file on the machine).
 */
export function notJsonMessage(text: string): string {
  const e = jsonSyntaxError(text);
  if (!e) return 'not valid JSON';
  const { line, column } = lineColumn(text, e.offset);
  return `not valid JSON at line ${line} column ${column}: ${e.what}`;
}
