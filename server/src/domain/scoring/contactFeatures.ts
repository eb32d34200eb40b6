import { JOB_LEVELS } from '../canonical';
import { topValues } from './oneHot';
import type { PersonJob } from './personas';

/**
 * The contact profile-fit model's features of a person, all 0/1: `level:<job level>`,
 * `function:<job function>` (the 15 most frequent) and `title:<word>` (the 40 most frequent
 * title words of three letters or more, plus common short ones: vp, cto, cio, it…).
 */
export interface ContactVocabulary {
  readonly names: readonly string[];
  readonly texts: readonly string[];
  readonly functions: ReadonlyMap<string, number>;
  readonly words: ReadonlyMap<string, number>;
}

const SHORT_WORDS = new Set(['vp', 'cto', 'cio', 'ceo', 'cfo', 'coo', 'it', 'hr', 'qa', 'sre']);

export function titleWords(title: string | null): string[] {
  if (title === null) return [];
  const words = title
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3 || SHORT_WORDS.has(word));
  return [...new Set(words)];
}

export function contactVocabulary(people: readonly PersonJob[]): ContactVocabulary {
  const names: string[] = [];
  const texts: string[] = [];
  for (const level of JOB_LEVELS) {
    names.push(`level:${level}`);
    texts.push(`Job level: ${level}`);
  }
  const functions = new Map<string, number>();
  for (const value of topValues(
    people.map((p) => p.job_function),
    15,
  )) {
    functions.set(value, names.length);
    names.push(`function:${value}`);
    texts.push(`Job function: ${value}`);
  }
  const words = new Map<string, number>();
  for (const value of topValues(
    people.flatMap((p) => titleWords(p.title)),
    40,
  )) {
    words.set(value, names.length);
    names.push(`title:${value}`);
    texts.push(`Title mentions '${value}'`);
  }
  return { names, texts, functions, words };
}

/** Indices of the person's features that are on (each once). */
export function contactFeatures(person: PersonJob, vocabulary: ContactVocabulary): number[] {
  const active: number[] = [];
  const level = JOB_LEVELS.indexOf(person.job_level as (typeof JOB_LEVELS)[number]);
  if (level >= 0) active.push(level);
  const fn = person.job_function === null ? undefined : vocabulary.functions.get(person.job_function);
  if (fn !== undefined) active.push(fn);
  for (const word of titleWords(person.title)) {
    const index = vocabulary.words.get(word);
    if (index !== undefined) active.push(index);
  }
  return active;
}
