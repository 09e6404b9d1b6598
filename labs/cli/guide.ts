/**
 * The lab guides (labs/<id>/README.md): reading their sections, and keeping the blocks the
 * kit generates from code (diagram, cost) between their markers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../common/dist';

/** Every guide has these sections, in this order. */
export const GUIDE_SECTIONS = ['Objectives', 'Architecture', 'Cost', 'Prerequisites', 'Steps', 'Verify', 'Teardown', 'Exercises'] as const;

export interface Guide {
  readonly path: string;
  readonly title: string;
  /** The paragraph under the title. */
  readonly summary: string;
  /** Section bodies by level-2 heading. */
  readonly sections: ReadonlyMap<string, string>;
  /** `### Exercise N: <title>` headings, by number. */
  readonly exercises: ReadonlyMap<number, string>;
  readonly text: string;
}

export function guidePath(labId: string): string {
  return join('labs', labId, 'README.md');
}

export function readGuide(labId: string): Guide {
  const path = guidePath(labId);
  return parseGuide(path, readFileSync(join(REPO_ROOT, path), 'utf8'));
}

export function parseGuide(path: string, text: string): Guide {
  const title = /^# (.+)$/m.exec(text)?.[1] ?? '';
  const afterTitle = text.slice(text.indexOf(title) + title.length);
  const summary = afterTitle.split(/\n## /)[0].trim().replace(/\s*\n\s*/g, ' ');
  const sections = new Map<string, string>();
  for (const part of text.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  const exercises = new Map<number, string>();
  for (const match of text.matchAll(/^### Exercise (\d+): (.+)$/gm)) exercises.set(Number(match[1]), match[2].trim());
  return { path, title, summary, sections, exercises, text };
}

/**
 * The commands a guide's Steps and Teardown give: every line of its `sh` blocks (continuation
 * lines joined, comments dropped), and the `$ ` lines of its `console` blocks (commands with output).
 */
export function guideCommands(guide: Guide, section: 'Steps' | 'Teardown'): string[] {
  const body = guide.sections.get(section) ?? '';
  const commands: string[] = [];
  for (const [, language, block] of body.matchAll(/```(console|sh|shell|bash)\n([\s\S]*?)```/g)) {
    const lines = block.replace(/\s*\\\n\s*/g, ' ').split('\n').map((line) => line.trim());
    for (const line of lines) {
      if (language === 'console') {
        if (line.startsWith('$ ')) commands.push(line.slice(2).trim());
      } else if (line !== '' && !line.startsWith('#')) commands.push(line);
    }
  }
  return commands;
}

/** The `- ` items of a section, each on one line. */
export function guideBullets(guide: Guide, section: string): string[] {
  const body = guide.sections.get(section) ?? '';
  return body
    .split(/^- /m)
    .slice(1)
    .map((item) => item.split(/\n(?!\s)/)[0].replace(/\s+/g, ' ').trim());
}

/** `text` with the lines between `<!-- name:begin -->` and `<!-- name:end -->` replaced by `content`. */
export function replaceBlock(text: string, name: string, content: string): string {
  const pattern = new RegExp(`(<!-- ${name}:begin -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`no <!-- ${name}:begin --> ... <!-- ${name}:end --> markers`);
  return text.replace(pattern, (_all, begin: string, end: string) => `${begin}${content}${content.endsWith('\n') || content === '' ? '' : '\n'}${end}`);
}

/** The content between a block's markers, or undefined when the markers are missing. */
export function readBlock(text: string, name: string): string | undefined {
  return new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text)?.[1];
}

/** Writes `blocks` into the file at `path` (relative to the repository) and says whether it changed. */
export function updateBlocks(path: string, blocks: Readonly<Record<string, string>>): boolean {
  const file = join(REPO_ROOT, path);
  const before = readFileSync(file, 'utf8');
  const after = Object.entries(blocks).reduce((text, [name, content]) => replaceBlock(text, name, content), before);
  if (after !== before) writeFileSync(file, after);
  return after !== before;
}
