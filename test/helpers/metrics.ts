/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && wanted.every((w) => (m[2] ?? '').split(',').includes(w))) return Number(m[3]);
  }
  return undefined;
}
