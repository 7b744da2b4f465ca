/**
 * Zod's issues as the library's field issues, in a module of its own with no Node APIs, so
 * modules the visualizer bundles (fit.ts) can use it without pulling schema.ts's file reading.
 */
import type { z } from 'zod';
import { formatPath, show, type FieldIssue } from '../scenarios/schema.js';

/** Zod issues as field issues: unknown keys one a line, zod's generic type message made specific. */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((iss): FieldIssue[] => {
    if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => ({ path: formatPath([...iss.path, k]), message: 'unknown field' }));
    let message = iss.message;
    if (iss.code === 'invalid_type' && message.startsWith('Invalid input')) message = `expected ${iss.expected}, got ${show((iss as { input?: unknown }).input)}`;
    return [{ path: formatPath(iss.path), message }];
  });
}
