import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, lineColumn, notJsonMessage } from '../../../experiments/io/json-syntax.js';

const parses = (t: string) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxError', () => {
  it('agrees with JSON.parse on what is JSON (hand-picked texts and generated near-JSON)', () => {
    const cases = ['', ' ', '{}', '[]', '{"a":1}', '{"a":1,}', '[1,]', '[,1]', '{"a" 1}', '{a:1}', '"\\u12"', '"\\x"', '"a\tb"', '-', '-0', '01', '1.', '1e', '1e+5', '.5', 'tru', 'true false', 'null ', '[[[]]]', '[[[]]', '{"a":{"b":[1,{"c":null}]}}', '\ufeff{}', '{"days": 10}\0', 'root:x:0:0:root:/root:/bin/bash'];
    for (const t of cases) expect(jsonSyntaxError(t) === null, JSON.stringify(t)).toBe(parses(t));
    const near = fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"', '1', '-', '.', 'e', '0', 'true', 'nul', ' ', '\n', '\\'), { maxLength: 14 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.oneof(near, fc.json(), fc.string()), (t) => (jsonSyntaxError(t) === null) === parses(t)), { numRuns: 3000, seed: 13 });
  });

  it('says where and what, and never quotes the text', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n';
    expect(notJsonMessage(passwd)).toBe('not valid JSON at line 1 column 1: expected a value (an object, list, string, number, true, false or null)');
    expect(notJsonMessage('{\n  "days": 30,\n}\n')).toBe('not valid JSON at line 3 column 1: expected a property name in double quotes');
    expect(notJsonMessage('{"name": "secret-token-123"\n "days": 3}')).toBe("not valid JSON at line 2 column 2: expected ',' or '}'");
    expect(notJsonMessage('{"a": [1, 2')).toBe('not valid JSON at line 1 column 12: unexpected end of the text');
    expect(notJsonMessage('{"a": 1} trailing-secret')).toBe('not valid JSON at line 1 column 10: unexpected text after the end of the value');
    // deep nesting is scanned without recursion
    expect(notJsonMessage(`${'['.repeat(200_000)}x`)).toMatch(/^not valid JSON at line 1 column 200001: expected a value/);
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
