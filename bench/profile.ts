/**
 * Hot spots of a V8 CPU profile (`node --cpu-prof`): self time by function, counted in samples
 * rather than in the profile's wall-clock gaps, so that other work on a shared machine, which
 * stretches the gaps, does not move the shares. bench/RESULTS.md lists the top of a 100,000-member
 * run made this way:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/run.js --child '{"kind":"run","members":100000,"days":365,"graphEvery":30,"seed":1}'
 *   node dist/bench/profile.js /tmp/prof/*.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
}

/** Share of samples by function (name, file and line), largest first. */
export function hotSpots(profile: CpuProfile): { name: string; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'} ${where}`.trim();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...counts].map(([name, n]) => ({ name, share: n / total })).sort((a, b) => b.share - a.share);
}

function main(argv: string[]): void {
  const [file, top = '25'] = argv;
  if (!file) throw new Error('usage: node dist/bench/profile.js FILE.cpuprofile [top]');
  const spots = hotSpots(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  for (const s of spots.slice(0, Number(top))) console.log(`${(100 * s.share).toFixed(1).padStart(5)}%  ${s.name}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
