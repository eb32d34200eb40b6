/**
 * A reason: one signal's signed contribution to a score, in plain words. `weight` is the
 * contribution to the log-odds (positive raises the score), rounded to two decimals.
 */
export interface Reason {
  text: string;
  weight: number;
}

/**
 * The `limit` contributions largest in size, strongest first, each with its text (given the
 * contribution, so that the words can agree with its sign); contributions smaller than 0.01 in
 * size say nothing and are left out, and so are those whose text is null.
 */
export function topReasons(
  contributions: ArrayLike<number>,
  textOf: (feature: number, contribution: number) => string | null,
  limit = 5,
): Reason[] {
  // Selection rather than a sort: this runs for every account and person.
  const chosen: number[] = [];
  for (let j = 0; j < contributions.length; j++) {
    const size = Math.abs(contributions[j] as number);
    if (size < 0.01) continue;
    let at = chosen.length;
    while (at > 0 && Math.abs(contributions[chosen[at - 1] as number] as number) < size) at--;
    if (at >= limit * 2) continue;
    chosen.splice(at, 0, j);
    if (chosen.length > limit * 2) chosen.pop();
  }
  const reasons: Reason[] = [];
  for (const j of chosen) {
    if (reasons.length === limit) break;
    const text = textOf(j, contributions[j] as number);
    if (text !== null) reasons.push({ text, weight: Math.round((contributions[j] as number) * 100) / 100 });
  }
  return reasons;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
