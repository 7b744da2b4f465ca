/** A stderr that is piped (no terminal), keeping what the progress tests' commands write to it. */
export const piped = () => {
  const lines: string[] = [];
  return { lines, stream: { isTTY: false, write: (t: string) => (lines.push(t), true) } };
};
