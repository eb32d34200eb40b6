import { mix32, splitSeed } from './random';

/**
 * Company and person names.
 *
 * Company names are a compound of two words ("Bluepeak", "Ironforge") plus an industry word
 * ("Bluepeak Software"). The compound is a bijection of the account index (for a given seed),
 * so the first 6,400 accounts all have different compounds; later rounds reuse the compounds
 * with a domain variant ("bluepeakhq", "bluepeakgroup"…, then a number), so that every domain
 * of the market is unique without remembering the ones already used (streaming, flat memory).
 */

// prettier-ignore
const COMPANY_PREFIXES = [
  'Blue', 'North', 'Iron', 'Silver', 'Red', 'Bright', 'Clear', 'Oak', 'Pine', 'Cedar',
  'Summit', 'Harbor', 'Star', 'Sun', 'Moon', 'River', 'Lake', 'Golden', 'Green', 'Swift',
  'True', 'High', 'Deep', 'Far', 'West', 'East', 'South', 'Frost', 'Storm', 'Cloud',
  'Sky', 'Sea', 'Fire', 'Maple', 'Willow', 'Aspen', 'Birch', 'Eagle', 'Falcon', 'Hawk',
  'Fox', 'Wolf', 'Bear', 'Lion', 'Orbit', 'Nova', 'Astra', 'Terra', 'Aqua', 'Vita',
  'Luma', 'Opti', 'Quanta', 'Nex', 'Vero', 'Acme', 'Zen', 'Prime', 'Core', 'Arc',
  'Echo', 'Flux', 'Ever', 'Open', 'Bold', 'Kin', 'Mosaic', 'Tidal', 'Copper', 'Cobalt',
  'Ember', 'Amber', 'Onyx', 'Jade', 'Pearl', 'Atlas', 'Vertex', 'Pioneer', 'Granite', 'Coral',
] as const;

// prettier-ignore
const COMPANY_ROOTS = [
  'peak', 'gale', 'bridge', 'field', 'point', 'line', 'gate', 'stream', 'forge', 'path',
  'light', 'wave', 'ridge', 'haven', 'port', 'leaf', 'works', 'wood', 'brook', 'dale',
  'ford', 'mark', 'vale', 'view', 'well', 'shore', 'spring', 'stone', 'hill', 'bay',
  'grove', 'run', 'side', 'land', 'scape', 'stack', 'logic', 'byte', 'data', 'sync',
  'loop', 'shift', 'beam', 'spark', 'pulse', 'signal', 'vector', 'matrix', 'nest', 'hive',
  'yard', 'mill', 'crown', 'shield', 'key', 'lock', 'sail', 'wing', 'root', 'branch',
  'tree', 'mesa', 'rise', 'fall', 'way', 'crest', 'craft', 'smith', 'wright', 'lane',
  'mont', 'berg', 'stad', 'ton', 'ly', 'io', 'ify', 'ora', 'ix', 'eon',
] as const;

const DOMAIN_VARIANTS = [
  '',
  'hq',
  'group',
  'global',
  'tech',
  'labs',
  'inc',
  'corp',
  'co',
  'app',
  'systems',
  'online',
  'world',
  'one',
  'net',
  'works',
];

const COMPOUNDS = COMPANY_PREFIXES.length * COMPANY_ROOTS.length;

export interface CompanyNaming {
  /** Odd, not a multiple of 5: coprime with COMPOUNDS = 6,400 = 2⁸·5², so the map is a bijection. */
  readonly stride: number;
  readonly offset: number;
}

export function companyNamingForSeed(seed: number): CompanyNaming {
  const [low, high] = splitSeed(seed);
  const hash = mix32(low ^ mix32(high ^ 0x5bd1e995));
  let stride = ((hash % (COMPOUNDS / 2)) * 2 + 1) % COMPOUNDS;
  if (stride % 5 === 0) stride += 2;
  return { stride, offset: mix32(hash) % COMPOUNDS };
}

/** The compound ("Bluepeak") and the unique domain label ("bluepeak", "bluepeakhq", "bluepeak17") of an account. */
export function companyIdentity(
  naming: CompanyNaming,
  index: number,
): { compound: string; domainLabel: string } {
  const slot = (index % COMPOUNDS) * naming.stride + naming.offset;
  const compoundIndex = slot % COMPOUNDS;
  const prefix = COMPANY_PREFIXES[compoundIndex % COMPANY_PREFIXES.length] as string;
  const root = COMPANY_ROOTS[Math.floor(compoundIndex / COMPANY_PREFIXES.length)] as string;
  const compound = prefix + root;
  const round = Math.floor(index / COMPOUNDS);
  const variant = DOMAIN_VARIANTS[round % DOMAIN_VARIANTS.length] as string;
  const numeral =
    round >= DOMAIN_VARIANTS.length ? String(Math.floor(round / DOMAIN_VARIANTS.length) + 1) : '';
  return { compound, domainLabel: compound.toLowerCase() + variant + numeral };
}

// prettier-ignore
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chris', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily',
  'Paul', 'Michelle', 'Andrew', 'Amanda', 'Joshua', 'Melissa', 'Kevin', 'Stephanie', 'Brian', 'Rebecca',
  'Priya', 'Arjun', 'Ananya', 'Rahul', 'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Min-jun', 'Ji-woo',
  'Mohammed', 'Fatima', 'Omar', 'Layla', 'Yosef', 'Noa', 'Lukas', 'Hannah', 'Jonas', 'Lea',
  'Lars', 'Ingrid', 'Pierre', 'Camille', 'Luca', 'Giulia', 'Mateo', 'Sofia', 'Diego', 'Valentina',
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Ethan', 'Mia', 'Lucas', 'Chloe', 'Oliver',
  'Aisha', 'Kwame', 'Chidi', 'Amara', 'Tomasz', 'Zofia', 'Erik', 'Astrid', 'Sean', 'Niamh',
  'Raj', 'Deepa', 'Carlos', 'Ana', 'Jorge', 'Lucia', 'Ivan', 'Elena', 'Dmitri', 'Katya',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Patel', 'Shah', 'Kumar', 'Singh', 'Gupta', 'Chen', 'Wang', 'Li', 'Zhang', 'Liu',
  'Tanaka', 'Sato', 'Suzuki', 'Kim', 'Park', 'Choi', 'Cohen', 'Levi', 'Mizrahi', 'Haddad',
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Dubois', 'Laurent', 'Rossi', 'Bianchi',
  'Andersson', 'Johansson', 'Nielsen', 'Jansen', 'de Vries', 'Kowalski', 'Nowak', 'Novak', 'Ivanov', 'Petrov',
  "O'Brien", 'Murphy', 'Kelly', 'Walsh', 'Okafor', 'Mensah', 'Adeyemi', 'Silva', 'Santos', 'Oliveira',
  'Costa', 'Fernandes', 'Alves', 'Reyes', 'Cruz', 'Morales', 'Ortiz', 'Gutierrez', 'Chavez', 'Ramos',
] as const;

const ASCII_FOLD: Record<string, string> = { ü: 'u', ö: 'o', ä: 'a', é: 'e', è: 'e', ñ: 'n' };

/** A name as it appears in an email address: ASCII lower case letters and digits only. */
export function emailLocalPart(name: string): string {
  let out = '';
  for (const char of name.toLowerCase()) {
    const folded = ASCII_FOLD[char] ?? char;
    if (/[a-z0-9]/.test(folded)) out += folded;
  }
  return out;
}
