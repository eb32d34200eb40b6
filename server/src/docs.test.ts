/**
 * The documentation names only what the repository holds: every relative link of README.md,
 * CONTRIBUTING.md, CHANGELOG.md and docs/*.md leads to a file (and, into a Markdown file, to a
 * heading it has), and every path in backticks under a top-level folder (`server/…`,
 * `scripts/…`, `docs/…`) exists, and so does a Markdown file named anywhere in the text (a bare
 * `NOTES.md` must be some file of the repository). Code blocks are commands and examples, not
 * references: skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const PATH_PREFIXES = ['server/', 'scripts/', 'docs/', 'force-app/', 'config/', 'bin/', '.ci/'];

/** The names of the repository's Markdown files (as git tracks them, so build output is not counted). */
const MARKDOWN_NAMES = new Set(
  execFileSync('git', ['ls-files', '*.md', '**/*.md'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((file) => path.basename(file)),
);

function documentationFiles(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...docs];
}

/** The text outside fenced code blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (repeated headings get -1, -2, …, as on GitHub). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(match[1] as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every broken reference of one documentation file (`file` relative to the repository). */
function problemsIn(file: string, markdown: string): string[] {
  const problems: string[] = [];
  const text = prose(markdown);
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1] as string;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [targetPath = '', anchor] = target.split('#');
    const resolved = targetPath ? path.join(path.dirname(file), decodeURIComponent(targetPath)) : file;
    const absolute = path.join(ROOT, resolved);
    if (!existsSync(absolute)) {
      problems.push(`${file}: link to ${target}: no file ${resolved}`);
      continue;
    }
    if (anchor && resolved.endsWith('.md')) {
      const anchors = resolved === file ? anchorsOf(markdown) : anchorsOf(readFileSync(absolute, 'utf8'));
      if (!anchors.has(anchor))
        problems.push(`${file}: link to ${target}: ${resolved} has no heading #${anchor}`);
    }
  }
  for (const match of text.matchAll(/`([^`\s]+)`/g)) {
    const named = (match[1] as string).replace(/[.,:;)]+$/, '');
    if (!PATH_PREFIXES.some((prefix) => named.startsWith(prefix))) continue;
    if (/[…*<>{}]/.test(named)) continue; // a pattern, not a path
    if (!existsSync(path.join(ROOT, named))) problems.push(`${file}: \`${named}\` is not in the repository`);
  }
  for (const match of text.matchAll(/(?<![\w/.-])([\w.-]+\.md)\b/g)) {
    const name = match[1] as string;
    if (!MARKDOWN_NAMES.has(name)) problems.push(`${file}: ${name} is not in the repository`);
  }
  return problems;
}

describe('documentation references', () => {
  it('finds a missing file, a missing heading and a missing path', () => {
    const markdown = [
      '# Title',
      'See [the page](docs/no-such-page.md), [scores](docs/scoring.md#no-such-heading),',
      '[here](#title), [there](#elsewhere), [the site](https://example.com/x.md) and `server/src/nothing.ts`.',
      'As NOTES.md says, and README.md too.',
      '```sh',
      'cat server/src/also-nothing.ts [x](missing.md)',
      '```',
    ].join('\n');
    expect(problemsIn('README.md', markdown)).toEqual([
      'README.md: link to docs/no-such-page.md: no file docs/no-such-page.md',
      'README.md: link to docs/scoring.md#no-such-heading: docs/scoring.md has no heading #no-such-heading',
      'README.md: link to #elsewhere: README.md has no heading #elsewhere',
      'README.md: `server/src/nothing.ts` is not in the repository',
      'README.md: NOTES.md is not in the repository',
    ]);
  });

  it("makes GitHub's anchors from headings", () => {
    expect([
      ...anchorsOf(
        "# Scores and their figures\n## 5. The panel's signed token\n## `GET /x` (a, b)\n## A\n## A",
      ),
    ]).toEqual(['scores-and-their-figures', '5-the-panels-signed-token', 'get-x-a-b', 'a', 'a-1']);
  });

  it('names only files and headings the repository holds', () => {
    const problems = documentationFiles().flatMap((file) =>
      problemsIn(file, readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(problems).toEqual([]);
  });
});
